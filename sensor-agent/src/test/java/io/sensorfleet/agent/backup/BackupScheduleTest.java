package io.sensorfleet.agent.backup;

import io.sensorfleet.agent.AgentConfig;
import io.sensorfleet.agent.AgentLog;
import io.sensorfleet.agent.identity.StateDir;
import io.sensorfleet.agent.settings.SettingsStore;
import io.sensorfleet.agent.testing.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackupScheduleTest {
    @TempDir
    Path state;
    final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T01:00:00Z"));
    BackupSchedule schedule;
    SettingsStore settings;

    @BeforeEach
    void connect() {
        AgentConfig config = ConnectedSensor.connect(state, clock);
        settings = new SettingsStore(state);
        schedule = new BackupSchedule(clock, new BackupTaker(config, new StateDir(state)), settings, AgentLog.discard());
    }

    private int backups() {
        return new LocalBackups(state).list().size();
    }

    @Test
    void nextRunIsTheDailyTimeInTheSensorsZone() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        assertEquals(Instant.parse("2026-03-01T02:00:00Z"),
                BackupSchedule.nextRun(Instant.parse("2026-03-01T01:00:00Z"), LocalTime.of(3, 0), berlin));
        assertEquals(Instant.parse("2026-03-02T02:00:00Z"),
                BackupSchedule.nextRun(Instant.parse("2026-03-01T02:00:00Z"), LocalTime.of(3, 0), berlin));
        // the night clocks go forward (29 March 2026 in Berlin) 03:00 is summer time: 01:00 UTC
        assertEquals(Instant.parse("2026-03-29T01:00:00Z"),
                BackupSchedule.nextRun(Instant.parse("2026-03-28T12:00:00Z"), LocalTime.of(3, 0), berlin));
    }

    @Test
    void theDailyBackupIsTakenAtThreeByDefaultOncePerDay() {
        schedule.runOnce();
        assertEquals(Instant.parse("2026-03-01T03:00:00Z"), schedule.next().orElseThrow());
        clock.set(Instant.parse("2026-03-01T02:59:59Z"));
        assertTrue(schedule.runOnce().isEmpty());
        clock.set(Instant.parse("2026-03-01T03:00:05Z"));
        assertTrue(schedule.runOnce().isPresent());
        clock.advance(Duration.ofMinutes(10));
        assertTrue(schedule.runOnce().isEmpty());
        assertEquals(1, backups());
        clock.set(Instant.parse("2026-03-02T03:00:00Z"));
        assertTrue(schedule.runOnce().isPresent());
        assertEquals(2, backups());
    }

    @Test
    void noBackupWhenDisabledAndANewTimeAppliesFromTheNextOccurrence() throws IOException {
        settings.apply(1, Map.of("backup.enabled", false));
        schedule.runOnce();
        clock.set(Instant.parse("2026-03-01T03:00:05Z"));
        assertTrue(schedule.runOnce().isEmpty());
        settings.apply(2, Map.of("backup.enabled", true, "backup.dailyTime", "04:30", "time.timeZone", "Asia/Tokyo"));
        schedule.runOnce(); // picks up the new plan
        assertEquals(Instant.parse("2026-03-01T19:30:00Z"), schedule.next().orElseThrow());
        clock.set(Instant.parse("2026-03-01T19:30:00Z"));
        assertTrue(schedule.runOnce().isPresent());
        assertEquals(1, backups(), "only the backup at the new time");
    }
}
