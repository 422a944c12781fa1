package io.sensorfleet.console.auth;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sensorfleet.console.support.PostgresTestResource;
import io.sensorfleet.console.support.TestClock;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Two throttles over the one database stand for two console instances: failures counted by one
 * refuse on the other, so spreading guesses over the instances buys no extra budget.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class SharedLoginThrottleTest {
    private static final LoginThrottle.Limits LIMITS = new LoginThrottle.Limits(30, 10, Duration.ofMinutes(15));
    @Inject
    SharedFailureCounts counts;
    @Inject
    TestClock clock;

    private String address() {
        return "198.51.100." + (1 + Math.floorMod(UUID.randomUUID().hashCode(), 250));
    }

    @Test
    void failuresSpreadOverTwoInstancesShareOneAddressBudget() {
        LoginThrottle first = new LoginThrottle(clock, LIMITS, counts);
        LoginThrottle second = new LoginThrottle(clock, LIMITS, counts);
        String address = address() + "-" + UUID.randomUUID();
        for (int i = 0; i < 30; i++) {
            assertNull((i % 2 == 0 ? first : second).refusal(address, "sprayed-" + i), "attempt " + i);
            (i % 2 == 0 ? first : second).failed(address, "sprayed-" + i);
        }
        Duration wait = first.refusal(address, "anyone");
        assertNotNull(wait, "the 31st attempt is refused, whichever instance gets it");
        assertNotNull(second.refusal(address, "anyone"));
        org.junit.jupiter.api.Assertions.assertTrue(!wait.isNegative() && wait.compareTo(Duration.ofMinutes(15)) <= 0, wait.toString());
        assertNull(first.refusal(address() + "-" + UUID.randomUUID(), "admin"), "another address is not affected");
    }

    @Test
    void aNameForgivenOnOneInstanceIsForgivenOnAllAndTheWindowEnds() {
        LoginThrottle first = new LoginThrottle(clock, LIMITS, counts);
        LoginThrottle second = new LoginThrottle(clock, LIMITS, counts);
        String address = address() + "-" + UUID.randomUUID();
        String name = "Bob-" + UUID.randomUUID();
        for (int i = 0; i < 10; i++) {
            assertEquals(i + 1, first.failed(address, name));
        }
        assertNotNull(second.refusal(address, name.toLowerCase()));
        second.forgive(name.toUpperCase());
        assertNull(first.refusal(address, name));

        first.failed(address, name);
        try {
            clock.advance(Duration.ofMinutes(16));
            assertEquals(1, second.failed(address, name), "a failure after the window starts a new one");
        } finally {
            clock.reset();
        }
    }
}
