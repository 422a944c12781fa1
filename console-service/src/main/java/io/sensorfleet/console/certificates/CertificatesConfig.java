package io.sensorfleet.console.certificates;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Validation of the certificates peers present to the console, and expiry warnings. */
@ConfigMapping(prefix = "sensorfleet.certificates")
public interface CertificatesConfig {
    /** Time allowed to connect to a CRL distribution point and to read the CRL, per try. */
    @WithDefault("3s")
    Duration crlTimeout();

    /** Further tries after a CRL fetch failed or timed out. */
    @WithDefault("1")
    int crlRetries();

    /**
     * How long an instance keeps its reading of the {@code certificates.validation} setting before
     * reading it again: a change made through any instance applies on all within this time.
     */
    @WithDefault("2s")
    Duration validationRefresh();

    /** How far ahead certificates and activation files are warned about. */
    @WithDefault("30d")
    Duration expiryWarning();

    /**
     * How often every instance looks for certificates and activation files expiring soon (a
     * duration such as {@code 1h}, or {@code off}); read by the scheduler.
     */
    @WithDefault("1h")
    String expiryCheckInterval();
}
