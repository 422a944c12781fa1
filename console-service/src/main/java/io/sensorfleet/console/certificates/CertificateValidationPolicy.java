package io.sensorfleet.console.certificates;

/**
 * Whether peers' certificates are checked for expiry and revocation now. Declared here and
 * supplied by the settings feature (the global {@code certificates.validation} setting), so the
 * certificate code does not depend on how settings are stored.
 */
public interface CertificateValidationPolicy {
    boolean enabled();
}
