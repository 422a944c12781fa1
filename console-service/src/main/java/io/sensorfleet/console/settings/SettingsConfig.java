package io.sensorfleet.console.settings;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Settings pushed to sensors: how their acknowledgements are recorded. */
@ConfigMapping(prefix = "sensorfleet.settings")
public interface SettingsConfig {
    /**
     * How often buffered acknowledgements of pushed settings are written, in one batched statement;
     * a sensor's state shows its acknowledgement at most this much later. Whole seconds: the
     * scheduler checks its timers once a second, so a shorter interval would still run every second.
     */
    @WithDefault("1s")
    Duration ackFlushInterval();
}
