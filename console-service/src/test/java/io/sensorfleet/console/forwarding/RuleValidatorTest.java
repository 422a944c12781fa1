package io.sensorfleet.console.forwarding;

import io.sensorfleet.console.common.ProblemException;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RuleValidatorTest {

    @Test
    void hostsAreNamesOrIpLiteralsAndNothingElse() {
        for (String ok : new String[]{"siem.example.com", "localhost", "10.0.0.1", "::1", "fe80::1", "a-b.c1.", "S1"}) {
            assertTrue(RuleValidator.isHost(ok), ok);
        }
        for (String bad : new String[]{"exa mple.com", "-bad.com", "bad-.com", "999.1.1.1", "host:514", "a..b",
                "http://x", "x/y", "", "ab_c.com"}) {
            assertFalse(RuleValidator.isHost(bad), bad);
        }
    }

    @Test
    void ruleWithoutFiltersIsValid() {
        RuleRequest.Action webhook = new RuleRequest.Action(null, "WEBHOOK", null, null, null, null, null,
                "https://siem.example/hook", java.util.Map.of(), null, null);
        RuleValidator.rule(new RuleRequest("no filters", true, "WARNING", true, false, null, java.util.List.of(webhook)));
    }

    @Test
    void webhookBatchSizeIsStoredWithinItsBoundsAndOneMeansNoBatching() {
        assertEquals(100, RuleValidator.action(webhook(100)).settings().batch());
        assertEquals(null, RuleValidator.action(webhook(1)).settings().batchMaxEvents(), "1 is stored as no batching");
        assertEquals(1, RuleValidator.action(webhook(null)).settings().batch());
        for (int bad : new int[]{0, -1, RuleValidator.MAX_BATCH + 1}) {
            ProblemException e = assertThrows(ProblemException.class, () -> RuleValidator.action(webhook(bad)));
            assertTrue(e.getMessage().contains("batchMaxEvents"), e.getMessage());
        }
    }

    @Test
    void syslogActionRefusesABatchSize() {
        RuleRequest.Action syslog = new RuleRequest.Action(null, "SYSLOG", "siem.example", 514, "TCP", "CEF", null,
                null, null, null, 10);
        ProblemException e = assertThrows(ProblemException.class, () -> RuleValidator.action(syslog));
        assertTrue(e.getMessage().contains("batchMaxEvents"), e.getMessage());
    }

    private static RuleRequest.Action webhook(Integer batch) {
        return new RuleRequest.Action(null, "WEBHOOK", null, null, null, null, null, "https://siem.example/hook",
                java.util.Map.of(), null, batch);
    }

    @Test
    void retryDelayDoublesFromTheBaseUpToTheCap() {
        Duration base = Duration.ofSeconds(1);
        Duration cap = Duration.ofMinutes(5);
        assertEquals(Duration.ofSeconds(1), DeliveryWorker.backoff(1, base, cap));
        assertEquals(Duration.ofSeconds(2), DeliveryWorker.backoff(2, base, cap));
        assertEquals(Duration.ofSeconds(4), DeliveryWorker.backoff(3, base, cap));
        assertEquals(cap, DeliveryWorker.backoff(12, base, cap));
        assertEquals(cap, DeliveryWorker.backoff(500, base, cap));
    }
}
