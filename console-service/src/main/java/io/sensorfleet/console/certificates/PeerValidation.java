package io.sensorfleet.console.certificates;

import jakarta.enterprise.context.ApplicationScoped;

import javax.net.ssl.X509ExtendedTrustManager;
import java.time.Clock;

/**
 * The certificate-validation toggle applied to connections the console opens (forwarding targets
 * over TLS). Each instance reads the global {@code certificates.validation} setting at most every
 * {@code validation-refresh}, so a change applies everywhere without a restart.
 */
@ApplicationScoped
public class PeerValidation {
    private final CertificateValidationPolicy setting;
    private final CertificatesConfig config;
    private final CrlCache crls;
    private final Clock clock;

    PeerValidation(CertificateValidationPolicy setting, CertificatesConfig config, CrlCache crls, Clock clock) {
        this.setting = setting;
        this.config = config;
        this.crls = crls;
        this.clock = clock;
    }

    private volatile boolean enabled;
    private volatile long readAt;
    private volatile boolean read;

    /** Whether peers' certificates are checked for expiry and revocation now. */
    public boolean enabled() {
        long now = System.nanoTime();
        if (!read || now - readAt >= config.validationRefresh().toNanos()) {
            try {
                enabled = setting.enabled();
                read = true;
            } catch (RuntimeException e) {
                if (!read) {
                    throw e;
                }
                // The database is away for a moment: keep the last reading rather than fail every delivery.
            }
            readAt = now;
        }
        return enabled;
    }

    /**
     * Time a handshake may take beyond the network's when validation is on: fetching one CRL with
     * its retries. Connect timeouts that include the handshake add it.
     */
    public java.time.Duration crlAllowance() {
        return config.crlTimeout().multipliedBy(1L + Math.max(0, config.crlRetries()));
    }

    /** {@code chain} alone when validation is off; with expiry and CRL checks added when on. */
    public X509ExtendedTrustManager trustManager(X509ExtendedTrustManager chain, boolean validating) {
        return validating ? new ValidatingTrustManager(chain, crls, clock) : chain;
    }
}
