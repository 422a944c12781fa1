package io.sensorfleet.agent.identity;

import io.sensorfleet.protocol.v1.AgentAddress;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Who this sensor is to the console; the content of {@code agent.json}. Its presence means the
 * agent is connected.
 *
 * @param sensorId                 id the console assigned (also the CN of the certificate)
 * @param sensorName               name the console knows the sensor by
 * @param addresses                the console's agent-plane addresses, {@code host:port}, tried in order
 * @param heartbeatIntervalSeconds interval the console asked for
 * @param certificateNotAfter      end of validity of the current certificate
 * @param connectedAt              when {@code connect} stored this identity
 */
public record Identity(String sensorId, String sensorName, List<String> addresses, int heartbeatIntervalSeconds,
                       Instant certificateNotAfter, Instant connectedAt) {

    public Identity {
        Objects.requireNonNull(sensorId, "sensorId");
        Objects.requireNonNull(sensorName, "sensorName");
        addresses = List.copyOf(addresses);
        Objects.requireNonNull(certificateNotAfter, "certificateNotAfter");
        Objects.requireNonNull(connectedAt, "connectedAt");
    }

    /** The addresses that parse; a bad entry written by a newer console is skipped rather than fatal. */
    public List<AgentAddress> agentAddresses() {
        List<AgentAddress> parsed = new ArrayList<>();
        for (String address : addresses) {
            try {
                parsed.add(AgentAddress.parse(address));
            } catch (IllegalArgumentException e) {
                // skipped on purpose, see above
            }
        }
        return parsed;
    }

    public Identity withHeartbeatInterval(int seconds) {
        return new Identity(sensorId, sensorName, addresses, seconds, certificateNotAfter, connectedAt);
    }

    public Identity withCertificateNotAfter(Instant notAfter) {
        return new Identity(sensorId, sensorName, addresses, heartbeatIntervalSeconds, notAfter, connectedAt);
    }
}
