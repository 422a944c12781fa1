package io.sensorfleet.console.updates;

import io.sensorfleet.console.sensors.SensorStore;
import io.sensorfleet.console.platform.ProblemType;
import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.console.common.Sql;
import io.sensorfleet.console.notifications.NotificationType;
import io.sensorfleet.console.notifications.SystemEvent;
import io.sensorfleet.console.notifications.SystemEvents;
import io.sensorfleet.protocol.v1.update.UpdateProgress;
import io.sensorfleet.protocol.v1.update.UpdateStage;
import io.sensorfleet.protocol.v1.update.UpdateTask;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * The sensors' side of rollouts: handing out queued updates (a conditional UPDATE, so once across
 * instances), recording the stages sensors report, and failing those that stall in a stage. Every
 * change that concerns a waiting sensor is announced with NOTIFY.
 */
@ApplicationScoped
@Transactional
public class UpdateTasks {
    static final String CHANNEL = "sensorfleet_updates";
    static final String ACTIVE = "('QUEUED', 'DOWNLOADING', 'BACKING_UP', 'VERIFYING', 'INSTALLING', 'VALIDATING')";
    /** In progress, and reporting as it goes; VALIDATING is silent for the watch window. */
    private static final String REPORTING = "('DOWNLOADING', 'BACKING_UP', 'VERIFYING', 'INSTALLING')";
    private static final int MAX_LOG = 64 * 1024;

    private final SensorStore sensors;
    private final EntityManager em;
    private final Clock clock;
    private final UpdatesConfig config;
    private final VendorKeys keys;
    private final PackageStore store;
    private final SystemEvents events;

    UpdateTasks(SensorStore sensors, EntityManager em, Clock clock, UpdatesConfig config, VendorKeys keys,
                PackageStore store, SystemEvents events) {
        this.sensors = sensors;
        this.em = em;
        this.clock = clock;
        this.config = config;
        this.keys = keys;
        this.store = store;
        this.events = events;
    }

    /** An update handed to a sensor. */
    record Claimed(UUID sensorId, UpdateTask task) {
    }

    /** Sensors with a queued update not yet handed out. */
    @SuppressWarnings("unchecked")
    public List<UUID> pendingSensors() {
        return em.createNativeQuery("select sensor_id from update_targets where stage = 'QUEUED' and offered_at is null",
                UUID.class).getResultList();
    }

    /** Hands the queued updates of these waiting sensors out. */
    List<Claimed> claim(Collection<UUID> sensors) {
        if (sensors.isEmpty()) {
            return List.of();
        }
        Instant now = clock.instant();
        return Sql.list(em, "update update_targets t set offered_at = ?1, updated_at = ?1 "
                        + "from update_rollouts r, update_packages p where r.id = t.rollout_id and p.id = r.package_id "
                        + "and t.stage = 'QUEUED' and t.offered_at is null and r.state in ('RUNNING', 'PAUSED', 'HALTED') "
                        + "and t.sensor_id = any(cast(?2 as uuid[])) "
                        + "returning t.id, t.sensor_id, p.id, p.version, p.size_bytes, p.package_sha256, r.watch_seconds",
                r -> new Claimed(r.uuid(1), new UpdateTask(r.uuid(0), r.uuid(2), r.string(3), r.longValue(4),
                        r.string(5), keys.pems(), config.stageTimeout().toSeconds(), r.nullableLong(6))),
                now, sensors.stream().map(UUID::toString).toArray(String[]::new));
    }

    /** The package file a sensor may download: only one its active update task names. */
    public Path packageFile(UUID sensorId, UUID packageId) {
        Number n = (Number) em.createNativeQuery("select count(*) from update_targets t join update_rollouts r "
                        + "on r.id = t.rollout_id where t.sensor_id = ?1 and r.package_id = ?2 and t.stage in " + ACTIVE)
                .setParameter(1, sensorId).setParameter(2, packageId).getSingleResult();
        if (n.longValue() == 0) {
            throw ProblemException.notFound("update package for this sensor", packageId);
        }
        return store.file(packageId);
    }

    /** Records a stage a sensor reports. A report for a task the console ended is refused (409) unless it is final. */
    public void progress(UUID sensorId, UpdateProgress p) {
        Sql.Row found = Sql.row(em, "select stage, reason from update_targets "
                + "where id = ?1 and sensor_id = ?2 for update", p.taskId(), sensorId);
        if (found == null) {
            throw ProblemException.notFound("update task", p.taskId());
        }
        String current = found.string(0);
        boolean ended = !isActive(current);
        boolean overwritable = "FAILED".equals(current) && String.valueOf(found.string(1)).startsWith("timed out");
        if (ended && !(p.stage().terminal() && (overwritable || current.equals(p.stage().name())))) {
            throw new UpdateProblem(ProblemType.UPDATE_TASK_ENDED,
                    "the console ended this update (" + current + "); stop working on it");
        }
        if (ended && current.equals(p.stage().name())) {
            return; // a repeated final report
        }
        Instant now = clock.instant();
        String log = p.log() == null ? null : p.log().substring(Math.max(0, p.log().length() - MAX_LOG));
        em.createNativeQuery("update update_targets set stage_started_at = ?1 where id = ?2 and stage <> ?3")
                .setParameter(1, now).setParameter(2, p.taskId()).setParameter(3, p.stage().name()).executeUpdate();
        em.createNativeQuery("update update_targets set stage = ?1, percent = ?2, started_at = coalesce(started_at, ?3), "
                        + "updated_at = ?3 where id = ?4")
                .setParameter(1, p.stage().name()).setParameter(2, p.percent()).setParameter(3, now)
                .setParameter(4, p.taskId()).executeUpdate();
        if (p.stage().terminal()) {
            em.createNativeQuery("update update_targets set reason = ?1, log = ?2, finished_at = ?3 where id = ?4")
                    .setParameter(1, p.detail()).setParameter(2, log).setParameter(3, now).setParameter(4, p.taskId())
                    .executeUpdate();
        }
        event(p.taskId(), p.stage().name(), p.percent(), p.detail(), now);
        if (p.version() != null && p.stage().terminal()) {
            sensors.softwareVersion(sensorId, p.version());
        }
        if (p.stage() == UpdateStage.FAILED || p.stage() == UpdateStage.ROLLED_BACK) {
            raise(sensorId, p.taskId(), p.stage().name(), p.detail());
        }
    }

    /**
     * Fails sensors silent in a stage past the stage timeout, or queued and never picked up; hands out
     * again offers a sensor never acted on. Each change once, whatever the number of instances.
     */
    public int sweep() {
        Instant now = clock.instant();
        em.createNativeQuery("update update_targets set offered_at = null, updated_at = ?1 "
                        + "where stage = 'QUEUED' and offered_at < ?2")
                .setParameter(1, now).setParameter(2, now.minus(config.offerTimeout())).executeUpdate();
        List<Sql.Row> stalled = new ArrayList<>();
        // In a stage, silence counts (a long download keeps reporting its percentage); queued, the wait itself.
        long minutes = config.stageTimeout().toMinutes();
        stalled.addAll(timeOut("stage in " + REPORTING + " and updated_at", config.stageTimeout(),
                minutes + " min", now));
        // The new version reports VALIDATING, then nothing until the watch window is over (SUCCEEDED), or
        // the previous one reports ROLLED_BACK: the wait covers the rollout's watch window.
        stalled.addAll(timeOut("stage = 'VALIDATING' and updated_at + make_interval(secs => coalesce((select "
                + "r.watch_seconds from update_rollouts r where r.id = rollout_id), 0))", config.stageTimeout(),
                minutes + " min past the watch window", now));
        stalled.addAll(timeOut("stage = 'QUEUED' and stage_started_at", config.queuedTimeout(),
                config.queuedTimeout().toMinutes() + " min", now));
        for (Sql.Row t : stalled) {
            String reason = t.string(3);
            event(t.uuid(0), "FAILED", null, reason, now);
            raise(t.uuid(1), t.uuid(0), "FAILED", reason);
        }
        if (!stalled.isEmpty()) {
            announce();
        }
        return stalled.size();
    }

    private List<Sql.Row> timeOut(String which, Duration timeout, String after, Instant now) {
        return Sql.rows(em, "update update_targets set reason = 'timed out in stage ' || stage || ' after "
                        + after + "' || case when stage = 'QUEUED' then ': the sensor did not pick "
                        + "up the update' else ': the sensor stopped reporting' end, stage = 'FAILED', "
                        + "finished_at = ?1, updated_at = ?1 where " + which + " < ?2 "
                        + "returning id, sensor_id, stage, reason", now, now.minus(timeout));
    }

    void event(UUID targetId, String stage, Integer percent, String detail, Instant at) {
        em.createNativeQuery("insert into update_stage_events (target_id, stage, percent, detail, at) "
                        + "values (?1, ?2, ?3, ?4, ?5)")
                .setParameter(1, targetId).setParameter(2, stage).setParameter(3, percent)
                .setParameter(4, detail == null ? null : detail.substring(0, Math.min(detail.length(), 2000)))
                .setParameter(5, at).executeUpdate();
    }

    private void raise(UUID sensorId, UUID targetId, String stage, String detail) {
        Object version = em.createNativeQuery("select p.version from update_targets t join update_rollouts r "
                + "on r.id = t.rollout_id join update_packages p on p.id = r.package_id where t.id = ?1")
                .setParameter(1, targetId).getSingleResult();
        events.record(SystemEvent.of(NotificationType.UPDATE_FAILED, sensorId,
                "update to " + version + " " + (stage.equals("ROLLED_BACK") ? "rolled back" : "failed") + ": " + detail));
    }

    /** Tells every instance's waiting long-polls to look (delivered when this transaction commits). */
    void announce() {
        em.createNativeQuery("select count(*) from (select pg_notify('" + CHANNEL + "', '')) n").getSingleResult();
    }

    static boolean isActive(String stage) {
        return ACTIVE.contains("'" + stage + "'");
    }
}
