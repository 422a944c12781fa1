package io.sensorfleet.console.sensors;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * When this instance last failed to reach the database for connectivity work (a heartbeat flush or
 * a sweep). Silence is judged only over time in which heartbeats could be written: while PostgreSQL
 * is down (restart, failover) heartbeats are answered and kept in memory, so every sensor's
 * {@code last_seen} in the database falls behind; a sweep right after the database returns would
 * find them all silent and disconnect them before the buffered heartbeats are written. Every
 * instance sees the same outage, so each holds its sweeps back on its own. A database that answers
 * but too slowly to keep up (a flush slower than {@link #SLOW_FLUSH}) holds them back the same way.
 */
@ApplicationScoped
public class WriteOutage {
    /**
     * A heartbeat flush that takes longer than this counts as a failed write: the database is up
     * but too slow to keep {@code last_seen} current (a flush normally takes milliseconds; at
     * 100,000 sensors, before V19, they took 20-55 s and the sweeper disconnected live sensors).
     */
    static final Duration SLOW_FLUSH = Duration.ofSeconds(5);

    private final Clock clock;
    private final AtomicReference<Instant> lastFailure = new AtomicReference<>();
    /** When the flush under way started; null when none is. */
    private final AtomicReference<Instant> flushingSince = new AtomicReference<>();

    WriteOutage(Clock clock) {
        this.clock = clock;
    }

    void failed() {
        lastFailure.set(clock.instant());
    }

    /** A heartbeat flush starts. */
    void flushing() {
        flushingSince.set(clock.instant());
    }

    /** The flush under way ended (written or failed); a slow one counts as a failed write. */
    void flushed() {
        Instant since = flushingSince.getAndSet(null);
        if (since != null && slow(since)) {
            failed();
        }
    }

    /** Whether no write failed within {@code period} before now, and no flush under way is slow. */
    boolean quietFor(Duration period) {
        Instant since = flushingSince.get();
        if (since != null && slow(since)) {
            return false;
        }
        Instant failure = lastFailure.get();
        return failure == null || !clock.instant().isBefore(failure.plus(period));
    }

    private boolean slow(Instant since) {
        return clock.instant().isAfter(since.plus(SLOW_FLUSH));
    }
}
