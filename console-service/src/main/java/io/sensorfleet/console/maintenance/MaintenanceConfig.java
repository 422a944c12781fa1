package io.sensorfleet.console.maintenance;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Maintenance windows: while one is open, notifications of its sensors are recorded but not forwarded. */
@ConfigMapping(prefix = "sensorfleet.maintenance")
public interface MaintenanceConfig {
    /** Longest time-to-live an operator may give a window when opening or extending it. */
    @WithDefault("7d")
    Duration maxTtl();
}
