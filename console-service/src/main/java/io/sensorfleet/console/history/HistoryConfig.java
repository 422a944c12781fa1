package io.sensorfleet.console.history;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The history behind the charts: the fleet's per-minute roll-up and each sensor's quarter hours. */
@ConfigMapping(prefix = "sensorfleet.history")
public interface HistoryConfig {
    /**
     * How often each instance checks whether the current minute of the fleet roll-up is written, and
     * writes it if not ("off" disables it, as the tests do). Shorter than a minute, so a minute is not
     * missed when an instance's timer drifts; only the first instance to reach a minute counts.
     */
    @WithDefault("15s")
    String rollupInterval();

    /** How long the fleet's per-minute roll-up is kept. */
    @WithDefault("30d")
    Duration fleetRetention();

    /** How long each sensor's quarter-hour history (latency, clock offset, health) is kept. */
    @WithDefault("7d")
    Duration sensorRetention();

    /** How often each instance deletes history older than its retention ("off" disables it). */
    @WithDefault("1h")
    String pruneInterval();
}
