package io.sensorfleet.console.enrollment;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Connection strings and the certificates sensors get when they enroll. */
@ConfigMapping(prefix = "sensorfleet.enrollment")
public interface EnrollmentConfig {
    /** Default lifetime of a connection string's one-time token. */
    @WithDefault("24h")
    Duration tokenTtl();

    /** Longest lifetime an operator may give a token. */
    @WithDefault("30d")
    Duration maxTokenTtl();

    /** Lifetime of a sensor certificate; agents renew at two thirds of it. */
    @WithDefault("30d")
    Duration certificateLifetime();
}
