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

    /**
     * Failed logins for one name from one source address after which that address gets 429 for
     * that name until the window ({@code lockout-duration}) ends. Other addresses are not affected,
     * so nobody can lock an account out by failing on purpose.
     */
    @WithDefault("10")
    int maxFailedLogins();

    /**
     * Failed logins from one source address, whatever the names, after which that address gets
     * 429 for every name until the window ({@code lockout-duration}) ends: stops password spraying.
     */
    @WithDefault("30")
    int maxFailedLoginsPerAddress();

    /** The window failed logins are counted over, from the first failure; also the longest wait. */
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
