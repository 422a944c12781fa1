package io.sensorfleet.console.updates;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.sensorfleet.console.common.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Moves rollouts forward; every instance runs it. Each rollout is advanced under its row lock
 * ({@code FOR UPDATE SKIP LOCKED}), so one instance at a time decides for it and a batch starts
 * once: a scheduled rollout starts when its schedule allows; a sensor that rolled back halts it at
 * once, and so does a failure share above its threshold or, during a batch and its soak, an updated
 * sensor that went DISCONNECTED or less healthy ({@link RolloutGates}); a batch whose sensors all
 * ended is soaked, then the next opens; sensors of the open batch are queued up to the parallel
 * limit while the daily window (if any) is open (those that need a new activation file wait, with
 * that reason); the last batch ending, and its soak, finish the rollout.
 */
@ApplicationScoped
public class RolloutDriver {
    private static final Logger LOG = Logger.getLogger(RolloutDriver.class);
    private static final String ENDED = "('SUCCEEDED', 'FAILED', 'ROLLED_BACK', 'CANCELLED')";
    private static final String FAILED = "('FAILED', 'ROLLED_BACK')";

    private final EntityManager em;
    private final Clock clock;
    private final UpdateTasks tasks;
    private final RolloutGates gates;

    RolloutDriver(EntityManager em, Clock clock, UpdateTasks tasks, RolloutGates gates) {
        this.em = em;
        this.gates = gates;
        this.clock = clock;
        this.tasks = tasks;
    }

    @Scheduled(every = "${sensorfleet.updates.driver-interval:2s}", delayed = "3s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = DriverDisabled.class)
    void tick() {
        try {
            QuarkusTransaction.requiringNew().run(tasks::sweep);
            advanceAll();
        } catch (RuntimeException e) {
            LOG.warnf("rollout driver: %s", e.getMessage());
        }
    }

    /** Advances every running rollout once; returns how many sensors were queued. */
    @SuppressWarnings("unchecked")
    public int advanceAll() {
        List<UUID> running = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "select id from update_rollouts where state in ('RUNNING', 'SCHEDULED')", UUID.class).getResultList());
        int queued = 0;
        for (UUID id : running) {
            queued += QuarkusTransaction.requiringNew().call(() -> advance(id));
        }
        return queued;
    }

    int advance(UUID rolloutId) {
        Sql.Row r = Sql.row(em, "select current_batch, batches, max_parallel, failure_threshold_pct, "
                + "p.requires_new_activation, r.created_at, r.state, r.soak_seconds, r.soak_until, r.start_at, "
                + "to_char(r.window_start, 'HH24:MI'), to_char(r.window_end, 'HH24:MI'), r.window_zone "
                + "from update_rollouts r join update_packages p on p.id = r.package_id "
                + "where r.id = ?1 and r.state in ('RUNNING', 'SCHEDULED') for update of r skip locked", rolloutId);
        if (r == null) {
            return 0;
        }
        int batch = r.intValue(0);
        int batches = r.intValue(1);
        Instant now = clock.instant();
        RolloutSchedule schedule = schedule(r);
        if (r.string(6).equals("SCHEDULED")) {
            if (!schedule.open(now)) {
                return 0;
            }
            em.createNativeQuery("update update_rollouts set state = 'RUNNING', started_at = ?1, updated_at = ?1 "
                    + "where id = ?2").setParameter(1, now).setParameter(2, rolloutId).executeUpdate();
            LOG.infof("rollout %s: scheduled start", rolloutId);
        }
        int threshold = r.intValue(3);
        Optional<String> halt = gates.rolledBack(rolloutId, now)
                .or(() -> overThreshold(em, rolloutId, threshold)
                        ? Optional.of(thresholdReason(rolloutId, threshold)) : Optional.empty())
                .or(() -> gates.worsened(rolloutId, batch, now));
        if (halt.isPresent()) {
            halt(rolloutId, halt.get(), now);
            return 0;
        }
        int open = batch;
        if (open < batches && batchEnded(rolloutId, open)) {
            if (soaking(rolloutId, r.intValue(7), r.instant(8), now)) {
                return 0;
            }
            while (open < batches && batchEnded(rolloutId, open)) {
                open++;
            }
        }
        if (open >= batches) {
            finish(rolloutId, now);
            return 0;
        }
        em.createNativeQuery("update update_rollouts set current_batch = ?1, soak_until = null, updated_at = ?2 "
                        + "where id = ?3 and current_batch <> ?1").setParameter(1, open).setParameter(2, now)
                .setParameter(3, rolloutId).executeUpdate();
        if (r.bool(4)) {
            block(rolloutId, open, r.instant(5), now);
        }
        if (!schedule.open(now)) {
            return 0; // outside the daily window: sensors under way finish, the next start when it opens
        }
        return dispatch(rolloutId, open, r.intValue(2), now);
    }

    private static RolloutSchedule schedule(Sql.Row r) {
        RolloutSchedule.Window w = r.string(12) == null ? null : new RolloutSchedule.Window(
                LocalTime.parse(r.string(10)), LocalTime.parse(r.string(11)), ZoneId.of(r.string(12)));
        return new RolloutSchedule(r.instant(9), w);
    }

    /**
     * True while the ended batch soaks: the first call starts the soak, later ones wait for its end.
     * During the soak the gates keep watching the batch's updated sensors.
     */
    private boolean soaking(UUID rolloutId, int soakSeconds, Instant until, Instant now) {
        if (soakSeconds <= 0) {
            return false;
        }
        if (until == null) {
            em.createNativeQuery("update update_rollouts set soak_until = ?1, updated_at = ?2 where id = ?3")
                    .setParameter(1, now.plusSeconds(soakSeconds)).setParameter(2, now).setParameter(3, rolloutId)
                    .executeUpdate();
            return true;
        }
        return now.isBefore(until);
    }

    /** Whether the failed share exceeds the threshold (0 %: any failure). */
    static boolean overThreshold(EntityManager em, UUID rolloutId, int thresholdPct) {
        Sql.Row c = Sql.row(em, "select count(*) filter (where stage in " + FAILED + "), "
                + "count(*) from update_targets where rollout_id = ?1 and batch is not null", rolloutId);
        long failed = c.longValue(0);
        return failed > 0 && failed * 100 > (long) thresholdPct * c.longValue(1);
    }

    private String thresholdReason(UUID rolloutId, int thresholdPct) {
        Sql.Row c = Sql.row(em, "select count(*) filter (where stage in " + FAILED + "), "
                + "count(*) from update_targets where rollout_id = ?1 and batch is not null", rolloutId);
        Sql.Row f = Sql.row(em, "select sensor_name, stage, reason from update_targets "
                        + "where rollout_id = ?1 and stage in " + FAILED + " order by finished_at, position limit 1",
                rolloutId);
        return c.longValue(0) + " of " + c.longValue(1) + " sensors failed (threshold " + thresholdPct + " %); first: "
                + f.string(0) + " " + f.string(1) + ": " + f.string(2);
    }

    private void halt(UUID rolloutId, String reason, Instant now) {
        em.createNativeQuery("update update_rollouts set state = 'HALTED', halt_reason = ?1, updated_at = ?2 "
                + "where id = ?3").setParameter(1, reason).setParameter(2, now).setParameter(3, rolloutId).executeUpdate();
        LOG.infof("rollout %s halted: %s", rolloutId, reason);
    }

    private boolean batchEnded(UUID rolloutId, int batch) {
        Number open = (Number) em.createNativeQuery("select count(*) from update_targets where rollout_id = ?1 "
                        + "and batch = ?2 and stage not in " + ENDED)
                .setParameter(1, rolloutId).setParameter(2, batch).getSingleResult();
        return open.longValue() == 0;
    }

    private void finish(UUID rolloutId, Instant now) {
        em.createNativeQuery("update update_rollouts set state = case when exists (select 1 from update_targets "
                        + "where rollout_id = ?1 and stage in " + FAILED + ") then 'FINISHED_WITH_FAILURES' "
                        + "else 'SUCCEEDED' end, finished_at = ?2, updated_at = ?2 where id = ?1")
                .setParameter(1, rolloutId).setParameter(2, now).executeUpdate();
    }

    /** Sensors of the open batch that need an activation file issued since the rollout began wait (BLOCKED). */
    private void block(UUID rolloutId, int batch, Instant since, Instant now) {
        String activated = "exists (select 1 from activation_files a where a.sensor_id = t.sensor_id "
                + "and a.installed_at is not null and a.issued_at >= ?3)";
        em.createNativeQuery("update update_targets t set stage = 'BLOCKED', updated_at = ?4, reason = "
                        + "'waiting for a new activation file: this version requires one issued for it; issue and "
                        + "install it, the update then continues' where rollout_id = ?1 and batch = ?2 "
                        + "and stage = 'WAITING' and not " + activated)
                .setParameter(1, rolloutId).setParameter(2, batch).setParameter(3, since).setParameter(4, now)
                .executeUpdate();
        em.createNativeQuery("update update_targets t set stage = 'WAITING', updated_at = ?4, reason = null "
                        + "where rollout_id = ?1 and batch = ?2 and stage = 'BLOCKED' and " + activated)
                .setParameter(1, rolloutId).setParameter(2, batch).setParameter(3, since).setParameter(4, now)
                .executeUpdate();
    }

    /** Queues waiting sensors of the batch while fewer than {@code maxParallel} are under way. */
    @SuppressWarnings("unchecked")
    private int dispatch(UUID rolloutId, int batch, int maxParallel, Instant now) {
        Number active = (Number) em.createNativeQuery("select count(*) from update_targets where rollout_id = ?1 "
                + "and stage in " + UpdateTasks.ACTIVE).setParameter(1, rolloutId).getSingleResult();
        long free = maxParallel - active.longValue();
        if (free <= 0) {
            return 0;
        }
        // A sensor busy with another rollout's update waits for it to end.
        List<UUID> queued = em.createNativeQuery("update update_targets t set stage = 'QUEUED', percent = null, "
                        + "attempts = attempts + 1, offered_at = null, stage_started_at = ?3, updated_at = ?3 where t.id in (select id from "
                        + "update_targets w where w.rollout_id = ?1 and w.batch = ?2 and w.stage = 'WAITING' "
                        + "and not exists (select 1 from update_targets o where o.sensor_id = w.sensor_id "
                        + "and o.stage in " + UpdateTasks.ACTIVE + ") order by w.position limit ?4) returning t.id", UUID.class)
                .setParameter(1, rolloutId).setParameter(2, batch).setParameter(3, now).setParameter(4, free)
                .getResultList();
        gates.baseline(queued);
        for (UUID t : queued) {
            tasks.event(t, "QUEUED", null, "batch " + batch, now);
        }
        if (!queued.isEmpty()) {
            tasks.announce();
        }
        return queued.size();
    }

    /** Tests drive rollouts themselves with a clock they move. */
    @Singleton
    public static final class DriverDisabled implements Scheduled.SkipPredicate {
        private final UpdatesConfig config;

        DriverDisabled(UpdatesConfig config) {
            this.config = config;
        }

        @Override
        public boolean test(io.quarkus.scheduler.ScheduledExecution execution) {
            return !config.driverEnabled();
        }
    }
}
