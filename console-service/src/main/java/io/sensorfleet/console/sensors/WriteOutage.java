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
 * instance sees the same outage, so each holds its sweeps back on its own.
 */
@ApplicationScoped
public class WriteOutage {
    private final Clock clock;
    private final AtomicReference<Instant> lastFailure = new AtomicReference<>();

    WriteOutage(Clock clock) {
        this.clock = clock;
    }

    void failed() {
        lastFailure.set(clock.instant());
    }

    /** Whether no write failed within {@code period} before now. */
    boolean quietFor(Duration period) {
        Instant failure = lastFailure.get();
        return failure == null || !clock.instant().isBefore(failure.plus(period));
    }
}
