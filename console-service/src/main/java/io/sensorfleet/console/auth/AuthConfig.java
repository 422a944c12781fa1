package io.sensorfleet.console.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Operator authentication. The first admin's password is {@code sensorfleet.admin-password} (env SENSORFLEET_ADMIN_PASSWORD). */
@ConfigMapping(prefix = "sensorfleet.auth")
public interface AuthConfig {
    /** How long a token from {@code POST /api/v1/auth/login} is valid. */
    @WithDefault("1h")
    Duration tokenLifetime();

    /** Failed logins in a row after which the account is locked. */
    @WithDefault("10")
    int maxFailedLogins();

    /** How long a locked account stays locked. */
    @WithDefault("15m")
    Duration lockoutDuration();

    /** Web console sessions end after this long without a request. */
    @WithDefault("30m")
    Duration sessionInactivityTimeout();

    /** Longest lifetime of an API access token. */
    @WithDefault("365d")
    Duration apiTokenMaxLifetime();

    /** Shortest password accepted for a local user. */
    @WithDefault("12")
    int minPasswordLength();
}
