package io.sensorfleet.agent.session;

import java.time.Duration;
import java.util.Random;

/**
 * Exponential backoff with full jitter: after the n-th consecutive failure wait a uniformly random
 * time between zero and {@code min(cap, base * 2^(n-1))}. The randomness spreads a fleet that lost
 * the console at the same moment, so its return is not a thundering herd.
 *
 * @param base ceiling after the first failure
 * @param cap  largest ceiling (the heartbeat interval: never wait longer than a healthy agent would)
 */
public record Backoff(Duration base, Duration cap) {
    /**
     * The largest ceiling after a refused connection, whatever the cap: nothing listens (the console
     * is down or restarting), the kernel refuses at no cost to the console, and a fleet that keeps
     * trying every few seconds is back within seconds of the console, not within an interval.
     * Failures that load the console (timeouts, cut handshakes, 429, 5xx) keep the full cap.
     */
    public static final Duration REFUSED_CAP = Duration.ofSeconds(8);

    /** This backoff for a refused connection: the cap lowered to {@link #REFUSED_CAP}. */
    public Backoff afterRefusal() {
        return cap.compareTo(REFUSED_CAP) <= 0 ? this : new Backoff(base.compareTo(REFUSED_CAP) <= 0 ? base : REFUSED_CAP, REFUSED_CAP);
    }

    public Backoff {
        if (base.isNegative() || base.isZero() || cap.isNegative() || cap.isZero()) {
            throw new IllegalArgumentException("backoff base and cap must be positive");
        }
    }

    /** The largest delay after {@code failures} consecutive failures; zero for none. */
    public Duration ceiling(int failures) {
        if (failures <= 0) {
            return Duration.ZERO;
        }
        // Beyond 2^30 the product only matters for overflow: the cap has long applied.
        int doublings = Math.min(failures - 1, 30);
        long millis;
        try {
            millis = Math.multiplyExact(base.toMillis(), 1L << doublings);
        } catch (ArithmeticException e) {
            millis = Long.MAX_VALUE;
        }
        return Duration.ofMillis(Math.min(millis, cap.toMillis()));
    }

    /** A random delay in {@code [0, ceiling(failures)]}. */
    public Duration delay(int failures, Random random) {
        long ceiling = ceiling(failures).toMillis();
        return ceiling == 0 ? Duration.ZERO : Duration.ofMillis(random.nextLong(ceiling + 1));
    }
}
