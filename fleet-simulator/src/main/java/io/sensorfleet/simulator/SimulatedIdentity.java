package io.sensorfleet.simulator;

import io.sensorfleet.protocol.v1.enrollment.AgentAddress;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * What one simulated sensor holds after enrollment, in memory only (unless saved with
 * {@link IdentityFile}): the same things a real agent keeps in its state directory.
 *
 * @param heartbeatIntervalSeconds the interval the console asked for at enrollment
 */
record SimulatedIdentity(String sensorId, String sensorName, PrivateKey privateKey, X509Certificate certificate,
                         X509Certificate caCertificate, List<AgentAddress> addresses, int heartbeatIntervalSeconds) {

    SimulatedIdentity {
        addresses = List.copyOf(addresses);
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("sensor " + sensorId + " has no console address");
        }
    }

    @Override
    public String toString() {
        // The record default would print the key.
        return "SimulatedIdentity[" + sensorId + ", serial " + certificate.getSerialNumber().toString(16) + "]";
    }
}
