package io.sensorfleet.agent.identity;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * The sensor's TLS identity: its key, its certificate and the one CA it trusts.
 *
 * @param privateKey    EC P-256 key, generated on this sensor and never sent anywhere
 * @param certificate   the sensor's certificate issued by the console CA
 * @param caCertificate the console CA, the only trust anchor for the console's server certificate
 */
public record Credentials(PrivateKey privateKey, X509Certificate certificate, X509Certificate caCertificate) {
    public Credentials {
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(caCertificate, "caCertificate");
    }

    @Override
    public String toString() {
        // The record default would print the key.
        return "Credentials[certificate=" + certificate.getSubjectX500Principal() + ", serial="
                + certificate.getSerialNumber().toString(16) + "]";
    }
}
