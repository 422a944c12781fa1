package io.sensorfleet.agent.session;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FailureStreakTest {
    @Test
    void refusalsGrowTheRefusedBackoffButNotTheBackoffOfAFailureThatLoadsTheConsole() {
        FailureStreak s = new FailureStreak();
        s.failed(false);   // the console closed the long-poll as it stopped
        s.failed(true);
        s.failed(true);
        s.failed(true);
        assertEquals(4, s.failures());
        assertEquals(4, s.backoffCount(true));
        s.failed(false);   // a handshake cut by the freshly started console
        assertEquals(5, s.failures());
        assertEquals(2, s.backoffCount(false), "only the two failures that loaded the console");
    }

    @Test
    void aSuccessEndsTheStreak() {
        FailureStreak s = new FailureStreak();
        s.failed(false);
        s.failed(false);
        s.succeeded();
        assertEquals(0, s.failures());
        s.failed(false);
        assertEquals(1, s.backoffCount(false));
    }

    @Test
    void aLoadFailureCountsAtLeastOnceEvenWhenEveryCountedFailureWasARefusal() {
        FailureStreak s = new FailureStreak();
        s.failed(true);
        assertEquals(1, s.backoffCount(false));
        assertEquals(1, s.backoffCount(true));
    }
}
