package io.sensorfleet.console.web.session;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Web console sessions. The inactivity timeout is {@code sensorfleet.auth.session-inactivity-timeout}
 * (default 30 min), shared with the rest of operator authentication.
 */
@ConfigMapping(prefix = "sensorfleet.web")
public interface WebConfig {
    /**
     * Marks the session cookie Secure, so browsers send it over HTTPS only. On by default: the
     * operator plane is HTTPS-only; only the tests, which reach it over plain HTTP, turn it off.
     */
    @WithDefault("true")
    boolean secureCookie();
}
