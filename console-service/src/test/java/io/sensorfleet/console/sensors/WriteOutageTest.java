package io.sensorfleet.console.sensors;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WriteOutageTest {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-04T12:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    @Test
    void anInstanceThatNeverFailedMaySweepAtOnce() {
        assertTrue(new WriteOutage(clock).quietFor(Duration.ofSeconds(90)));
    }

    @Test
    void sweepingWaitsAWholeDisconnectPeriodAfterTheLastFailedWrite() {
        WriteOutage outage = new WriteOutage(clock);
        outage.failed();
        now.set(now.get().plusSeconds(89));
        assertFalse(outage.quietFor(Duration.ofSeconds(90)), "heartbeats kept during the outage are not written yet");
        now.set(now.get().plusSeconds(1));
        assertTrue(outage.quietFor(Duration.ofSeconds(90)));
    }

    @Test
    void aFailureDuringTheWaitStartsItAgain() {
        WriteOutage outage = new WriteOutage(clock);
        outage.failed();
        now.set(now.get().plusSeconds(60));
        outage.failed();
        now.set(now.get().plusSeconds(60));
        assertFalse(outage.quietFor(Duration.ofSeconds(90)));
    }

    @Test
    void aFlushSlowerThanTheLimitHoldsSweepsBackWhileItRunsAndAWholePeriodAfter() {
        WriteOutage outage = new WriteOutage(clock);
        outage.flushing();
        now.set(now.get().plus(WriteOutage.SLOW_FLUSH));
        assertTrue(outage.quietFor(Duration.ofSeconds(90)), "a flush within the limit is not an outage");
        now.set(now.get().plusSeconds(1));
        assertFalse(outage.quietFor(Duration.ofSeconds(90)), "last_seen is falling behind while it runs");
        outage.flushed();
        now.set(now.get().plusSeconds(89));
        assertFalse(outage.quietFor(Duration.ofSeconds(90)), "what it was late with is judged a period later");
        now.set(now.get().plusSeconds(1));
        assertTrue(outage.quietFor(Duration.ofSeconds(90)));
    }

    @Test
    void aQuickFlushIsNoOutage() {
        WriteOutage outage = new WriteOutage(clock);
        outage.flushing();
        now.set(now.get().plusMillis(40));
        outage.flushed();
        assertTrue(outage.quietFor(Duration.ofSeconds(90)));
    }
}
