package io.sensorfleet.agent.heartbeat;

import java.time.Duration;
import java.util.Random;

/** Spreads periodic work so that sensors started together do not report in lock step. */
public final class Jitter {
    private Jitter() {
    }

    /** A uniformly random duration in {@code [interval * (1 - fraction), interval * (1 + fraction)]}. */
    public static Duration spread(Duration interval, double fraction, Random random) {
        if (fraction < 0 || fraction >= 1) {
            throw new IllegalArgumentException("jitter fraction must be in [0, 1)");
        }
        double factor = 1 + fraction * (2 * random.nextDouble() - 1);
        return Duration.ofMillis(Math.round(interval.toMillis() * factor));
    }
}
