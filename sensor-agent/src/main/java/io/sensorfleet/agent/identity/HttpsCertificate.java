package io.sensorfleet.agent.identity;

import io.sensorfleet.lib.certificates.SelfSigned;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * What the sensor's local HTTPS status endpoint presents.
 *
 * @param key   the private key of {@code chain[0]}
 * @param chain the certificate first, then its issuers
 */
public record HttpsCertificate(PrivateKey key, List<X509Certificate> chain) {
    public HttpsCertificate {
        chain = List.copyOf(chain);
    }

    public X509Certificate certificate() {
        return chain.getFirst();
    }

    public boolean selfSigned() {
        return SelfSigned.marked(certificate());
    }
}
