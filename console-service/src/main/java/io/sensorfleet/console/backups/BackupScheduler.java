package io.sensorfleet.console.backups;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * Runs on every instance: starts the daily collection (once — the database decides which instance)
 * and sweeps stalled tasks (each change happens once, by conditional updates).
 */
@ApplicationScoped
public class BackupScheduler {
    private static final Logger LOG = Logger.getLogger(BackupScheduler.class);

    private final BackupsConfig config;
    private final BackupTasks tasks;
    private final Clock clock;

    BackupScheduler(BackupsConfig config, BackupTasks tasks, Clock clock) {
        this.config = config;
        this.tasks = tasks;
        this.clock = clock;
    }

    @Scheduled(every = "30s", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void collectWhenDue() {
        if (!config.schedule().enabled()) {
            return;
        }
        dueDay(clock.instant(), LocalTime.parse(config.schedule().time()), ZoneId.of(config.schedule().timeZone()),
                config.schedule().catchUp()).ifPresent(this::collect);
    }

    @Scheduled(every = "${sensorfleet.backups.sweep-interval:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        int changed = tasks.sweep();
        if (changed > 0) {
            LOG.debugf("backup sweep changed %d task(s)", changed);
        }
    }

    /** Starts the collection of {@code day} unless it exists; returns whether this call started it. */
    public boolean collect(LocalDate day) {
        BackupTasks.Started s = tasks.collectScheduled(day);
        if (s != null) {
            LOG.infof("daily backup collection for %s started: %d sensors queued, %d busy", day, s.queued(), s.busy());
        }
        return s != null;
    }

    /**
     * The day whose collection is due at {@code now}: the local date when its time has passed, but by no
     * more than {@code catchUp}.
     */
    static Optional<LocalDate> dueDay(Instant now, LocalTime time, ZoneId zone, Duration catchUp) {
        LocalDate today = now.atZone(zone).toLocalDate();
        for (LocalDate day : new LocalDate[]{today, today.minusDays(1)}) {
            Instant at = ZonedDateTime.of(day, time, zone).toInstant();
            if (!now.isBefore(at) && now.isBefore(at.plus(catchUp))) {
                return Optional.of(day);
            }
        }
        return Optional.empty();
    }
}
