package io.sensorfleet.agent.identity;

import io.sensorfleet.protocol.v1.enrollment.AgentAddress;
import io.sensorfleet.protocol.v1.enrollment.Fingerprints;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
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
 * @param certificateFingerprint   SHA-256 of the current certificate (DER, hex); changes with every
 *                                 enrollment and renewal, so a running daemon notices a new identity
 * @param connectedAt              when {@code connect} stored this identity
 */
public record Identity(String sensorId, String sensorName, List<String> addresses, int heartbeatIntervalSeconds,
                       Instant certificateNotAfter, String certificateFingerprint, Instant connectedAt) {

    public Identity {
        Objects.requireNonNull(sensorId, "sensorId");
        Objects.requireNonNull(sensorName, "sensorName");
        addresses = List.copyOf(addresses);
        Objects.requireNonNull(certificateNotAfter, "certificateNotAfter");
        Objects.requireNonNull(certificateFingerprint, "certificateFingerprint");
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
        return new Identity(sensorId, sensorName, addresses, seconds, certificateNotAfter, certificateFingerprint,
                connectedAt);
    }

    /** The same sensor with a renewed certificate. */
    public Identity withCertificate(X509Certificate certificate) {
        return new Identity(sensorId, sensorName, addresses, heartbeatIntervalSeconds,
                certificate.getNotAfter().toInstant(), fingerprint(certificate), connectedAt);
    }

    public static String fingerprint(X509Certificate certificate) {
        try {
            return Fingerprints.sha256Hex(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate cannot be encoded: " + e.getMessage(), e);
        }
    }
}
