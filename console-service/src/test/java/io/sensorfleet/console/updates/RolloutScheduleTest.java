package io.sensorfleet.console.updates;

import io.sensorfleet.console.common.ProblemException;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RolloutScheduleTest {
    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

    private static RolloutSchedule window(String from, String to, String zone) {
        return RolloutSchedule.parse(null, new RolloutSchedule.WindowRequest(from, to, zone), NOW);
    }

    @Test
    void aWindowIsOpenFromItsStartUpToButNotIncludingItsEnd() {
        RolloutSchedule s = window("01:00", "05:00", "UTC");
        assertFalse(s.open(Instant.parse("2026-12-05T00:59:59Z")));
        assertTrue(s.open(Instant.parse("2026-12-05T01:00:00Z")));
        assertTrue(s.open(Instant.parse("2026-12-05T04:59:59Z")));
        assertFalse(s.open(Instant.parse("2026-12-05T05:00:00Z")));
    }

    @Test
    void aWindowEndingBeforeItStartsSpansMidnight() {
        RolloutSchedule s = window("22:00", "04:00", "UTC");
        assertTrue(s.open(Instant.parse("2026-12-04T23:30:00Z")));
        assertTrue(s.open(Instant.parse("2026-12-05T03:00:00Z")));
        assertFalse(s.open(Instant.parse("2026-12-05T12:00:00Z")));
    }

    @Test
    void aWindowIsInItsZonesLocalTimeAcrossDaylightSaving() {
        RolloutSchedule s = window("02:00", "03:00", "Europe/Berlin");
        assertTrue(s.open(Instant.parse("2026-12-05T01:30:00Z")), "02:30 in Berlin in winter (UTC+1)");
        assertTrue(s.open(Instant.parse("2026-07-05T00:30:00Z")), "02:30 in Berlin in summer (UTC+2)");
        assertFalse(s.open(Instant.parse("2026-07-05T01:30:00Z")), "03:30 in Berlin in summer");
    }

    @Test
    void startAtTakesAnyOffsetAndBothConditionsMustHold() {
        RolloutSchedule s = RolloutSchedule.parse("2026-12-05T02:30:00+01:00",
                new RolloutSchedule.WindowRequest("01:00", "05:00", "UTC"), NOW);
        assertEquals(Instant.parse("2026-12-05T01:30:00Z"), s.startAt());
        assertFalse(s.open(Instant.parse("2026-12-05T01:15:00Z")), "inside the window, before startAt");
        assertTrue(s.open(Instant.parse("2026-12-05T01:30:00Z")));
        assertFalse(s.open(Instant.parse("2026-12-05T06:00:00Z")), "after startAt, outside the window");
        assertTrue(s.open(Instant.parse("2026-12-06T01:00:00Z")));
        RolloutSchedule none = RolloutSchedule.parse(null, null, NOW);
        assertNull(none.window());
        assertTrue(none.open(NOW));
    }

    @Test
    void badTimesAndZonesAreRefusedNamingTheField() {
        assertEquals("startAt", field(() -> RolloutSchedule.parse("2026-12-05 01:00", null, NOW)));
        assertEquals("startAt", field(() -> RolloutSchedule.parse("2028-01-01T00:00:00Z", null, NOW)));
        assertEquals("window.from", field(() -> window("24:00", "05:00", "UTC")));
        assertEquals("window.to", field(() -> window("01:00", "05:60", "UTC")));
        assertEquals("window.to", field(() -> window("01:00", null, "UTC")));
        assertEquals("window", field(() -> window("01:00", "01:00", "UTC")));
        assertEquals("window.zone", field(() -> window("01:00", "02:00", "Europe/Atlantis")));
        assertEquals("window.zone", field(() -> window("01:00", "02:00", " ")));
    }

    private static String field(Runnable r) {
        ProblemException e = assertThrows(ProblemException.class, r::run);
        assertEquals(400, e.status());
        return e.getMessage().substring(0, e.getMessage().indexOf(':'));
    }
}
