package io.sensorfleet.lib.certificates;

/**
 * A certificate, key or chain refused by {@link CertificateBundle} or {@link CertificateRules}.
 * The message is one line for an operator and never names a field; each side says which of its
 * inputs {@link #part()} is (a JSON field on the console, a command-line flag on the sensor).
 */
public class CertificateRefusal extends RuntimeException {
    /** Which input is wrong. */
    public enum Part { CERTIFICATE, PRIVATE_KEY, PASSPHRASE, CHAIN, PKCS12, PASSWORD }

    private final Part part;

    public CertificateRefusal(Part part, String message) {
        super(message);
        this.part = part;
    }

    public Part part() {
        return part;
    }
}
