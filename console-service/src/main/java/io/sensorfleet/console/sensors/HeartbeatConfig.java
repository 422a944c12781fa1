package io.sensorfleet.console.sensors;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Heartbeats and the connectivity states derived from them. */
@ConfigMapping(prefix = "sensorfleet.heartbeat")
public interface HeartbeatConfig {
    /** Interval agents are told to report at (they add ±10 % jitter). */
    @WithDefault("30s")
    Duration interval();

    /** A sensor becomes DISCONNECTED after this many intervals without a heartbeat. */
    @WithDefault("3")
    int missedBeforeDisconnect();

    /** A sensor whose clock differs from the console's by more than this is TIME_DIFF_OFFSET. */
    @WithDefault("60s")
    Duration maxClockOffset();

    /** How often buffered heartbeats are written to the database, in one statement per flush. */
    @WithDefault("1s")
    Duration flushInterval();

    /** How often each instance looks for sensors that stopped reporting ("off" disables it, as the tests do). */
    @WithDefault("5s")
    String sweepInterval();

    default Duration disconnectAfter() {
        return interval().multipliedBy(missedBeforeDisconnect());
    }
}
