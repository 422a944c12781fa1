package io.sensorfleet.agent.heartbeat;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertTrue;

class JitterTest {

    @Test
    void spreadStaysWithinTenPercentAndVaries() {
        Random random = new Random(5);
        Set<Duration> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            Duration d = Jitter.spread(Duration.ofSeconds(30), 0.10, random);
            assertTrue(d.compareTo(Duration.ofSeconds(27)) >= 0 && d.compareTo(Duration.ofSeconds(33)) <= 0, d.toString());
            seen.add(d);
        }
        assertTrue(seen.size() > 500);
    }
}
