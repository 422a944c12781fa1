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
}
