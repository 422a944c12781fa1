package io.sensorfleet.console.backups;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BackupSchedulerTest {
    private static final LocalTime FOUR = LocalTime.of(4, 0);
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static Optional<LocalDate> due(String now) {
        return BackupScheduler.dueDay(Instant.parse(now), FOUR, BERLIN, Duration.ofHours(1));
    }

    @Test
    void theCollectionIsDueFromItsTimeInItsZoneForTheCatchUpWindow() {
        assertEquals(Optional.empty(), due("2026-06-01T01:59:00Z"));
        assertEquals(Optional.of(LocalDate.of(2026, 6, 1)), due("2026-06-01T02:00:00Z"));
        assertEquals(Optional.of(LocalDate.of(2026, 6, 1)), due("2026-06-01T02:59:59Z"));
        assertEquals(Optional.empty(), due("2026-06-01T03:00:00Z"), "an instance started mid-morning starts no collection");
    }

    @Test
    void aWindowAcrossMidnightBelongsToTheDayItStarted() {
        Optional<LocalDate> d = BackupScheduler.dueDay(Instant.parse("2026-06-01T00:10:00Z"), LocalTime.of(23, 30),
                ZoneId.of("UTC"), Duration.ofHours(1));
        assertEquals(Optional.of(LocalDate.of(2026, 5, 31)), d);
    }
}
