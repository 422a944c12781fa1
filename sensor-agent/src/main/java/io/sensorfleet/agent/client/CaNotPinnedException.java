package io.sensorfleet.agent.client;

import java.security.cert.CertificateException;

/**
 * Thrown inside the TLS handshake by {@link PinnedCaTrustManager} when no certificate of the
 * server's chain has the connection string's fingerprint. {@link ConsoleClient} finds it among the
 * causes of the handshake failure to explain it precisely.
 */
public final class CaNotPinnedException extends CertificateException {
    private final String presentedFingerprint;
    private final String expectedFingerprint;

    CaNotPinnedException(String presentedFingerprint, String expectedFingerprint, int chainLength) {
        super(chainLength > 1
                ? "presented a CA whose fingerprint " + presentedFingerprint
                  + " differs from the connection string's " + expectedFingerprint
                : "presented only its own certificate (fingerprint " + presentedFingerprint
                  + "), not the CA with the connection string's fingerprint " + expectedFingerprint);
        this.presentedFingerprint = presentedFingerprint;
        this.expectedFingerprint = expectedFingerprint;
    }

    /** SHA-256 of the top certificate of the chain the server presented. */
    public String presentedFingerprint() {
        return presentedFingerprint;
    }

    public String expectedFingerprint() {
        return expectedFingerprint;
    }
}
