package io.sensorfleet.agent.session;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackoffTest {
    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));

    @Test
    void ceilingDoublesFromTheBaseUntilTheCap() {
        assertEquals(Duration.ZERO, backoff.ceiling(0));
        assertEquals(Duration.ofSeconds(1), backoff.ceiling(1));
        assertEquals(Duration.ofSeconds(2), backoff.ceiling(2));
        assertEquals(Duration.ofSeconds(4), backoff.ceiling(3));
        assertEquals(Duration.ofSeconds(16), backoff.ceiling(5));
        assertEquals(Duration.ofSeconds(30), backoff.ceiling(6));
        assertEquals(Duration.ofSeconds(30), backoff.ceiling(10_000));
    }

    @Test
    void delayIsFullJitterBetweenZeroAndTheCeiling() {
        Random random = new Random(42);
        for (int failures = 1; failures <= 12; failures++) {
            for (int i = 0; i < 200; i++) {
                Duration delay = backoff.delay(failures, random);
                assertTrue(!delay.isNegative() && delay.compareTo(backoff.ceiling(failures)) <= 0,
                        "failures=" + failures + " delay=" + delay);
            }
        }
    }

    @Test
    void delaysAreSpreadNotIdentical() {
        Random random = new Random(7);
        Set<Duration> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            seen.add(backoff.delay(6, random));
        }
        assertTrue(seen.size() > 40, "50 draws gave only " + seen.size() + " distinct delays");
    }

    @Test
    void averageDelayGrowsWithFailuresUntilCapped() {
        double[] mean = new double[8];
        for (int failures = 1; failures < mean.length; failures++) {
            Random random = new Random(1);
            long total = 0;
            for (int i = 0; i < 2000; i++) {
                total += backoff.delay(failures, random).toMillis();
            }
            mean[failures] = total / 2000.0;
        }
        for (int failures = 2; failures <= 5; failures++) {
            assertTrue(mean[failures] > mean[failures - 1] * 1.6, "mean after " + failures + " failures");
        }
        assertEquals(15_000, mean[7], 1_000, "capped at 30 s, so about 15 s on average");
    }

    @Test
    void noFailureMeansNoDelay() {
        assertEquals(Duration.ZERO, backoff.delay(0, new Random(3)));
    }

    @Test
    void sameSeedGivesSameDelays() {
        assertEquals(backoff.delay(4, new Random(99)), backoff.delay(4, new Random(99)));
    }

    @Test
    void aRefusalLowersTheCapButNeverRaisesIt() {
        assertEquals(Backoff.REFUSED_CAP, backoff.afterRefusal().ceiling(10));
        assertEquals(Duration.ofSeconds(1), backoff.afterRefusal().ceiling(1), "the base stays");
        Backoff short_ = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(5));
        assertEquals(short_, short_.afterRefusal());
        Backoff bigBase = new Backoff(Duration.ofSeconds(20), Duration.ofSeconds(60));
        assertEquals(Backoff.REFUSED_CAP, bigBase.afterRefusal().ceiling(1));
    }
}
