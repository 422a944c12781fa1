package io.sensorfleet.agent.backup;

import io.sensorfleet.agent.AgentLog;
import io.sensorfleet.agent.settings.SettingsStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The sensor's own daily backup (seed: 3:00 AM daily), at {@code backup.dailyTime} in the sensor's
 * time zone when {@code backup.enabled}. A changed time or zone takes effect for the next
 * occurrence; a time missed while the agent was stopped is not made up.
 */
public final class BackupSchedule {
    private static final Duration MAX_NAP = Duration.ofSeconds(30);

    private final Clock clock;
    private final BackupTaker taker;
    private final SettingsStore store;
    private final AgentLog log;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private BackupSettings planned;
    private Instant next;

    public BackupSchedule(Clock clock, BackupTaker taker, SettingsStore store, AgentLog log) {
        this.clock = clock;
        this.taker = taker;
        this.store = store;
        this.log = log;
    }

    /** The first instant after {@code after} that shows {@code time} on a clock in {@code zone}. */
    public static Instant nextRun(Instant after, LocalTime time, ZoneId zone) {
        ZonedDateTime local = after.atZone(zone);
        ZonedDateTime candidate = ZonedDateTime.of(local.toLocalDate(), time, zone);
        if (!candidate.toInstant().isAfter(after)) {
            candidate = ZonedDateTime.of(local.toLocalDate().plusDays(1), time, zone);
        }
        return candidate.toInstant();
    }

    /** When the next scheduled backup is due, as planned at the last check. */
    public Optional<Instant> next() {
        return Optional.ofNullable(next);
    }

    /** Takes the daily backup if it is due; returns it when it did. */
    public Optional<LocalBackup> runOnce() {
        BackupSettings s = BackupSettings.read(store);
        Instant now = clock.instant();
        if (next == null || planned == null || !planned.dailyTime().equals(s.dailyTime()) || !planned.zone().equals(s.zone())) {
            planned = s;
            next = nextRun(now, s.dailyTime(), s.zone());
            return Optional.empty();
        }
        if (now.isBefore(next)) {
            return Optional.empty();
        }
        next = nextRun(now, s.dailyTime(), s.zone());
        if (!s.enabled()) {
            return Optional.empty();
        }
        try {
            LocalBackup b = taker.take();
            log.info("daily backup taken: " + b.fileName());
            return Optional.of(b);
        } catch (BackupException e) {
            log.warn("daily backup failed: " + e.getMessage());
            return Optional.empty();
        }
    }

    public void run() {
        try {
            while (stopped.getCount() > 0) {
                try {
                    runOnce();
                } catch (RuntimeException e) {
                    log.warn("backup schedule: unexpected failure: " + e);
                }
                Duration nap = next == null ? MAX_NAP : Duration.between(clock.instant(), next);
                long millis = Math.max(200, Math.min(nap.toMillis(), MAX_NAP.toMillis()));
                if (stopped.await(millis, TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public void stop() {
        stopped.countDown();
    }
}
