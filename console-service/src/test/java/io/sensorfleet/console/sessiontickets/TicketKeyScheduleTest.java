package io.sensorfleet.console.sessiontickets;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TicketKeyScheduleTest {
    static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
    /** Rotation 6 h, lifetime 24 h, poll 1 min: grace 2 min. */
    final TicketKeySchedule schedule = new TicketKeySchedule(Duration.ofHours(6), Duration.ofHours(24), Duration.ofMinutes(1));

    static TicketKeySchedule.Key key(String name, Duration age, Instant now) {
        return new TicketKeySchedule.Key(name, now.minus(age));
    }

    @Test
    void theFirstKeyIsCreatedAndEncryptsAtOnce() {
        assertTrue(schedule.newKeyDue(List.of(), T0));
        TicketKeySchedule.Key first = new TicketKeySchedule.Key("a", T0);
        assertFalse(schedule.newKeyDue(List.of(first), T0));
        assertEquals(List.of(first), schedule.inUse(List.of(first), T0));
    }

    @Test
    void theNextKeyIsCreatedAGracePeriodBeforeRotationAndEncryptsOnlyAfterIt() {
        Instant now = T0.plus(Duration.ofHours(6)).minus(Duration.ofMinutes(2));
        TicketKeySchedule.Key old = new TicketKeySchedule.Key("old", T0);
        assertFalse(schedule.newKeyDue(List.of(old), now.minusSeconds(1)));
        assertTrue(schedule.newKeyDue(List.of(old), now));
        TicketKeySchedule.Key fresh = new TicketKeySchedule.Key("new", now);
        // Published, not yet encrypting: instances that have not loaded it yet could not decrypt its tickets.
        assertEquals(List.of(old, fresh), schedule.inUse(List.of(old, fresh), now.plusSeconds(119)));
        assertEquals(List.of(fresh, old), schedule.inUse(List.of(old, fresh), now.plusSeconds(120)));
        assertFalse(schedule.newKeyDue(List.of(old, fresh), now.plusSeconds(120)));
    }

    @Test
    void anOldKeyDecryptsUntilItsLastTicketHasExpiredThenIsDropped() {
        TicketKeySchedule.Key old = new TicketKeySchedule.Key("old", T0);
        Instant lastUse = T0.plus(Duration.ofHours(6)).plus(Duration.ofMinutes(2));
        Instant end = lastUse.plus(Duration.ofHours(24));
        assertFalse(schedule.expired(old, end));
        assertTrue(schedule.expired(old, end.plusSeconds(1)));
        TicketKeySchedule.Key current = key("current", Duration.ofHours(1), end.plusSeconds(1));
        assertEquals(List.of(current), schedule.inUse(List.of(old, current), end.plusSeconds(1)));
    }

    @Test
    void keysAfterTheEncryptingOneAreNewestFirst() {
        Instant now = T0.plus(Duration.ofDays(1));
        TicketKeySchedule.Key a = key("a", Duration.ofHours(20), now);
        TicketKeySchedule.Key b = key("b", Duration.ofHours(14), now);
        TicketKeySchedule.Key c = key("c", Duration.ofHours(8), now);
        TicketKeySchedule.Key d = key("d", Duration.ofHours(2), now);
        assertEquals(List.of(d, c, b, a), schedule.inUse(List.of(a, c, d, b), now));
    }

    @Test
    void aRotationNotLongerThanTwoPollIntervalsIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new TicketKeySchedule(Duration.ofMinutes(2), Duration.ofHours(1), Duration.ofMinutes(1)));
        assertThrows(IllegalArgumentException.class,
                () -> new TicketKeySchedule(Duration.ofHours(1), Duration.ZERO, Duration.ofMinutes(1)));
    }
}
