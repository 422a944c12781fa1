package io.sensorfleet.console.auth;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoginThrottleTest {
    private Instant now = Instant.parse("2026-12-04T12:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    };
    private final LoginThrottle throttle = new LoginThrottle(clock, new LoginThrottle.Limits(30, 10, Duration.ofMinutes(15)));

    @Test
    void sprayingManyNamesFromOneAddressIsRefusedAfterTheAddressBudget() {
        for (int i = 0; i < 30; i++) {
            assertNull(throttle.refusal("192.0.2.1", "user" + i), "attempt " + i);
            throttle.failed("192.0.2.1", "user" + i);
        }
        Duration wait = throttle.refusal("192.0.2.1", "someone-new");
        assertNotNull(wait);
        assertEquals(Duration.ofMinutes(15), wait);
        assertNull(throttle.refusal("192.0.2.2", "admin"), "another address is not affected");
    }

    @Test
    void guessingOneNameIsRefusedOnlyForTheAddressThatFailed() {
        for (int i = 0; i < 10; i++) {
            throttle.failed("192.0.2.1", "Admin");
        }
        assertNotNull(throttle.refusal("192.0.2.1", "admin"), "names compare without case");
        assertNull(throttle.refusal("192.0.2.1", "alice"), "other names from that address may still try");
        assertNull(throttle.refusal("198.51.100.7", "admin"), "the owner elsewhere is never locked out");
    }

    @Test
    void theRefusalEndsWithItsWindow() {
        for (int i = 0; i < 30; i++) {
            throttle.failed("192.0.2.1", "n" + i);
        }
        now = now.plus(Duration.ofMinutes(10));
        assertEquals(Duration.ofMinutes(5), throttle.refusal("192.0.2.1", "x"));
        now = now.plus(Duration.ofMinutes(5));
        assertNull(throttle.refusal("192.0.2.1", "x"));
        assertEquals(1, throttle.failed("192.0.2.1", "n0"), "a new window counts from one");
    }

    @Test
    void successEndsTheCountForThatNameButNotForTheAddress() {
        for (int i = 0; i < 9; i++) {
            throttle.failed("192.0.2.1", "alice");
        }
        throttle.succeeded("192.0.2.1", "alice");
        assertEquals(1, throttle.failed("192.0.2.1", "alice"));
        for (int i = 0; i < 20; i++) {
            throttle.failed("192.0.2.1", "other" + i);
        }
        assertNotNull(throttle.refusal("192.0.2.1", "alice"), "10 + 20 failures from the address reach its budget");
    }

    @Test
    void forgivingANameLiftsItsRefusalsEverywhere() {
        for (int i = 0; i < 10; i++) {
            throttle.failed("192.0.2.1", "bob");
            throttle.failed("192.0.2.2", "bob");
        }
        throttle.forgive("BOB");
        assertNull(throttle.refusal("192.0.2.1", "bob"));
        assertNull(throttle.refusal("192.0.2.2", "bob"));
    }

    @Test
    void memoryStaysBounded() {
        for (int i = 0; i < LoginThrottle.MAX_TRACKED + 10; i++) {
            throttle.failed("10.0." + (i / 65536) + "." + (i % 256), "name" + i);
        }
        now = now.plus(Duration.ofMinutes(16));
        throttle.failed("192.0.2.9", "x");
        assertTrue(throttle.refusal("192.0.2.9", "x") == null);
    }
}
