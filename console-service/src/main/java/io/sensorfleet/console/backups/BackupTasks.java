package io.sensorfleet.console.backups;

import io.sensorfleet.console.common.Sql;
import io.sensorfleet.console.platform.ProblemType;
import io.sensorfleet.console.common.AfterCommit;
import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.protocol.v1.backup.BackupFailureKind;
import io.sensorfleet.protocol.v1.backup.BackupTask;
import io.sensorfleet.protocol.v1.backup.BackupTaskResult;
import io.sensorfleet.protocol.v1.backup.RestoreSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * Backup and restore tasks: one per sensor and collection, at most one active per sensor (a unique
 * index), handed out over the long-poll by a conditional UPDATE so that however many console
 * instances run, each task goes to its sensor once and the parallel-transfer limit holds. Every
 * change announces itself with NOTIFY so the instance holding the sensor's long-poll answers at once.
 */
@ApplicationScoped
@Transactional
public class BackupTasks {
    static final String CHANNEL = "sensorfleet_backups";
    private static final String ACTIVE = "('PENDING', 'OFFERED', 'RUNNING')";
    /** Serialises claims across instances, so the count of running transfers is exact. */
    private static final long CLAIM_LOCK = 0x5346_4241_434BL;

    /**
     * @param collectionId the collection (null for a restore)
     * @param queued       sensors that got a task
     * @param busy         sensors skipped because a backup or restore of theirs is already under way
     */
    public record Started(UUID collectionId, int queued, int busy) {
    }

    /** A task handed to a sensor. */
    record Claimed(UUID sensorId, BackupTask task) {
    }

    private final EntityManager em;
    private final BackupsConfig config;
    private final BackupFailures failures;
    private final BackupStorage storage;
    private final BackupSealing sealing;
    private final Clock clock;

    BackupTasks(EntityManager em, BackupsConfig config, BackupFailures failures, BackupStorage storage,
                BackupSealing sealing, Clock clock) {
        this.em = em;
        this.config = config;
        this.failures = failures;
        this.storage = storage;
        this.sealing = sealing;
        this.clock = clock;
    }

    /** "Back up now" for the given sensors. */
    public Started collect(List<UUID> sensorIds, String target, String actor) {
        UUID id = UUID.randomUUID();
        em.createNativeQuery("insert into backup_collections (id, trigger, target, requested_by, created_at) "
                        + "values (?1, 'ON_DEMAND', ?2, ?3, ?4)")
                .setParameter(1, id).setParameter(2, target).setParameter(3, actor).setParameter(4, clock.instant())
                .executeUpdate();
        return createTasks(id, sensorIds, 0, actor);
    }

    /**
     * The daily collection of {@code day} for every sensor, unless one exists already: of any number of
     * instances calling this, exactly one creates it. Sensors upload their own recent backup when they have one.
     *
     * @return the collection, or null when this day's was made already
     */
    @SuppressWarnings("unchecked")
    public Started collectScheduled(LocalDate day) {
        UUID id = UUID.randomUUID();
        List<Object> made = em.createNativeQuery("insert into backup_collections (id, trigger, scheduled_for, target, "
                        + "requested_by, created_at) values (?1, 'SCHEDULE', ?2, 'all sensors', 'schedule', ?3) "
                        + "on conflict (scheduled_for) where trigger = 'SCHEDULE' do nothing returning id")
                .setParameter(1, id).setParameter(2, day).setParameter(3, clock.instant()).getResultList();
        if (made.isEmpty()) {
            return null;
        }
        List<UUID> all = em.createNativeQuery("select id from sensors", UUID.class).getResultList();
        return createTasks(id, all, config.schedule().reuseWithin().toSeconds(), "schedule");
    }

    private Started createTasks(UUID collectionId, List<UUID> sensorIds, long reuseSeconds, String actor) {
        Instant now = clock.instant();
        String[] ids = sensorIds.stream().distinct().map(UUID::toString).toArray(String[]::new);
        int existing = ((Number) em.createNativeQuery("select count(*) from sensors where id = any(cast(?1 as uuid[]))")
                .setParameter(1, ids).getSingleResult()).intValue();
        if (existing < ids.length) {
            throw ProblemException.badRequest((ids.length - existing) + " of the listed sensors do not exist");
        }
        // Ordered by name: the queue (and so "the next sensor") follows the inventory's order.
        int queued = em.createNativeQuery("insert into backup_tasks (id, collection_id, sensor_id, action, "
                        + "reuse_within_seconds, state, requested_by, created_at, updated_at) "
                        + "select gen_random_uuid(), ?1, s.id, 'BACKUP', ?2, 'PENDING', ?3, ?4, ?4 from sensors s "
                        + "where s.id = any(cast(?5 as uuid[])) order by s.name, s.id "
                        + "on conflict (sensor_id) where state in " + ACTIVE + " do nothing")
                .setParameter(1, collectionId).setParameter(2, reuseSeconds).setParameter(3, actor)
                .setParameter(4, now).setParameter(5, ids).executeUpdate();
        announce();
        return new Started(collectionId, queued, ids.length - queued);
    }

    /** Queues a restore of a stored backup onto the sensor it came from. */
    public UUID restore(UUID backupId, String actor) {
        Sql.Row b = single("select b.sensor_id, b.software_version, b.file_name, s.software_version, s.name "
                + "from backups b left join sensors s on s.id = b.sensor_id where b.id = ?1 and b.state = 'STORED'", backupId);
        if (b == null) {
            throw ProblemException.notFound("backup", backupId);
        }
        if (b.get(3) == null) {
            throw new ProblemException(ProblemType.SENSOR_GONE, "sensor " + b.get(0) + " that took backup " + b.get(2)
                    + " is no longer in the inventory");
        }
        if (!b.get(1).equals(b.get(3))) {
            throw BackupProblem.of(BackupFailureKind.VERSION_MISMATCH, "backup " + b.get(2) + " was taken with version " + b.get(1)
                    + " but sensor " + b.get(4) + " runs version " + b.get(3)
                    + ": a restore needs the same version on both sides; nothing was sent to the sensor");
        }
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        int n = em.createNativeQuery("insert into backup_tasks (id, sensor_id, action, backup_id, state, requested_by, "
                        + "created_at, updated_at) values (?1, ?2, 'RESTORE', ?3, 'PENDING', ?4, ?5, ?5) "
                        + "on conflict (sensor_id) where state in " + ACTIVE + " do nothing")
                .setParameter(1, id).setParameter(2, b.get(0)).setParameter(3, backupId).setParameter(4, actor)
                .setParameter(5, now).executeUpdate();
        if (n == 0) {
            throw BackupProblem.busy("sensor " + b.get(4) + " has a backup or restore under way; try again when it ends");
        }
        announce();
        return id;
    }

    /** Hands pending tasks of these (waiting) sensors out, as many as the parallel-transfer limit allows. */
    @SuppressWarnings("unchecked")
    List<Claimed> claim(Collection<UUID> sensors) {
        if (sensors.isEmpty()) {
            return List.of();
        }
        em.createNativeQuery("select count(*) from (select pg_advisory_xact_lock(?1)) l").setParameter(1, CLAIM_LOCK)
                .getSingleResult();
        long running = ((Number) em.createNativeQuery("select count(*) from backup_tasks where state in ('OFFERED', 'RUNNING')")
                .getSingleResult()).longValue();
        long free = config.maxParallelTransfers() - running;
        if (free <= 0) {
            return List.of();
        }
        Instant now = clock.instant();
        List<Sql.Row> rows = Sql.rows(em, "update backup_tasks t set state = 'OFFERED', offered_at = ?1, "
                        + "updated_at = ?1, offers = offers + 1 where t.id in (select id from backup_tasks "
                        + "where state = 'PENDING' and sensor_id = any(cast(?2 as uuid[])) "
                        + "order by case when action = 'RESTORE' then 0 else 1 end, seq limit ?3) "
                        + "returning t.id, t.sensor_id, t.action, t.reuse_within_seconds, t.backup_id",
                now, sensors.stream().map(UUID::toString).toArray(String[]::new), free);
        List<Claimed> out = new ArrayList<>();
        for (Sql.Row r : rows) {
            BackupTask.Action action = BackupTask.Action.valueOf(r.string(2));
            if (action == BackupTask.Action.BACKUP) {
                out.add(new Claimed(r.uuid(1), new BackupTask(r.uuid(0), action, r.longValue(3), null, sealing.key())));
                continue;
            }
            try {
                out.add(new Claimed(r.uuid(1), new BackupTask(r.uuid(0), action, 0, restoreSource(r.uuid(4)), null)));
            } catch (BackupSealing.SecretsRefused e) {
                // Handing out the restore would put back configuration without its secrets.
                fail(r.uuid(0), BackupFailureKind.CHECKSUM_MISMATCH, e.getMessage());
            }
        }
        return out;
    }

    /** The file a sensor downloads for its restore, or why it cannot (recorded as a failure already). */
    record RestoreFile(java.nio.file.Path path, long size, BackupProblem refusal) {
    }

    /**
     * The stored file of a backup this sensor was asked to restore; a sensor gets no other backup (not
     * another sensor's, not one it was not asked for). Marks the task as running.
     */
    public RestoreFile restoreFile(UUID sensorId, UUID backupId) {
        Sql.Row t = single("select t.id, b.storage_name, b.size_bytes, b.file_name from backup_tasks t "
                + "join backups b on b.id = t.backup_id where t.sensor_id = ?1 and t.backup_id = ?2 "
                + "and t.action = 'RESTORE' and t.state in " + ACTIVE, sensorId, backupId);
        if (t == null) {
            throw ProblemException.notFound("restore of backup", backupId);
        }
        java.nio.file.Path file = storage.file(t.string(1));
        long size = t.longValue(2);
        if (!java.nio.file.Files.isRegularFile(file)) {
            String reason = "the file of backup " + t.get(3) + " is missing from the backup storage";
            fail(t.uuid(0), BackupFailureKind.NOT_FOUND, reason);
            return new RestoreFile(null, 0, BackupProblem.of(BackupFailureKind.NOT_FOUND, reason));
        }
        Instant now = clock.instant();
        em.createNativeQuery("update backup_tasks set state = 'RUNNING', started_at = coalesce(started_at, ?1), "
                        + "updated_at = ?1, bytes_total = ?2 where id = ?3")
                .setParameter(1, now).setParameter(2, size).setParameter(3, t.get(0)).executeUpdate();
        return new RestoreFile(file, size, null);
    }

    /** Sensors with a task waiting to be handed out. (A transaction even for reading: no request context here.) */
    @SuppressWarnings("unchecked")
    List<UUID> pendingSensors() {
        return em.createNativeQuery("select sensor_id from backup_tasks where state = 'PENDING'", UUID.class).getResultList();
    }

    private RestoreSource restoreSource(UUID backupId) {
        Sql.Row b = single("select file_name, size_bytes, sha256, software_version, storage_name from backups where id = ?1",
                backupId);
        return b == null ? null : new RestoreSource(backupId, b.string(0), b.longValue(1), b.string(2),
                b.string(3), sealing.secretsOf(storage.file(b.string(4)), b.string(0)));
    }

    /** The sensor reports how a task ended on its side. Repeating a report is harmless. */
    public void result(UUID sensorId, BackupTaskResult r) {
        Sql.Row task = single("select action, state, backup_id from backup_tasks where id = ?1 and sensor_id = ?2",
                r.taskId(), sensorId);
        if (task == null) {
            throw ProblemException.notFound("backup task", r.taskId());
        }
        BackupTask.Action action = BackupTask.Action.valueOf(task.string(0));
        if (r.ok() && action == BackupTask.Action.BACKUP) {
            throw ProblemException.badRequest("a backup succeeds by its upload, not by a report");
        }
        if (r.ok()) {
            em.createNativeQuery("update backup_tasks set state = 'DONE', finished_at = ?1, updated_at = ?1 "
                            + "where id = ?2 and state in " + ACTIVE).setParameter(1, clock.instant())
                    .setParameter(2, r.taskId()).executeUpdate();
            announce();
            return;
        }
        fail(r.taskId(), r.failure() == null ? BackupFailureKind.SENSOR_ERROR : r.failure(), "the sensor reports: " + r.reason());
    }

    /**
     * Ends an active task as failed and records why (once: a task already ended is left alone).
     *
     * @return whether this call ended it
     */
    public boolean fail(UUID taskId, BackupFailureKind kind, String reason) {
        List<Sql.Row> ended = Sql.rows(em, "update backup_tasks set state = 'FAILED', failure_kind = ?1, "
                        + "reason = ?2, finished_at = ?3, updated_at = ?3 where id = ?4 and state in " + ACTIVE
                        + " returning sensor_id, action, backup_id", kind.name(), reason, clock.instant(), taskId);
        for (Sql.Row t : ended) {
            failures.record(t.uuid(0), taskId, t.uuid(2), BackupTask.Action.valueOf(t.string(1)), kind, reason);
            dropUpload(taskId);
        }
        announce();
        return !ended.isEmpty();
    }

    /**
     * Hands out again tasks a sensor took but never started (its answer was lost), and fails transfers
     * that stalled and tasks nobody picked up. Every instance runs it; each change happens once.
     */
    @SuppressWarnings("unchecked")
    public int sweep() {
        Instant now = clock.instant();
        int requeued = em.createNativeQuery("update backup_tasks set state = 'PENDING', updated_at = ?1 "
                        + "where state = 'OFFERED' and started_at is null and offered_at < ?2")
                .setParameter(1, now).setParameter(2, now.minus(config.offerTimeout())).executeUpdate();
        List<Sql.Row> stalled = Sql.rows(em, "select id, bytes_done, bytes_total from backup_tasks "
                        + "where state = 'RUNNING' and updated_at < ?1", now.minus(config.stallTimeout()));
        int failed = 0;
        for (Sql.Row t : stalled) {
            String reason = "the transfer stopped at " + t.get(1) + " of " + (t.get(2) == null ? "?" : t.get(2))
                    + " bytes and did not resume within " + config.stallTimeout().toMinutes() + " min";
            failed += fail(t.uuid(0), BackupFailureKind.NETWORK_FAILURE, reason) ? 1 : 0;
        }
        List<UUID> expired = em.createNativeQuery("select id from backup_tasks where state in ('PENDING', 'OFFERED') "
                        + "and created_at < ?1", UUID.class)
                .setParameter(1, now.minus(config.pendingTimeout())).getResultList();
        for (UUID id : expired) {
            failed += fail(id, BackupFailureKind.NETWORK_FAILURE, "the sensor did not pick up the request within "
                    + config.pendingTimeout().toHours() + " h (is it connected?)") ? 1 : 0;
        }
        if (requeued > 0) {
            announce();
        }
        return requeued + failed;
    }

    /** Removes the partial upload of a task that ended without it (files go after the commit). */
    private void dropUpload(UUID taskId) {
        @SuppressWarnings("unchecked")
        List<String> names = em.createNativeQuery("delete from backups where task_id = ?1 and state = 'UPLOADING' "
                + "returning storage_name").setParameter(1, taskId).getResultList();
        AfterCommit.run(() -> names.forEach(storage::delete));
    }

    /** Tells every instance's waiting long-polls to look (delivered when this transaction commits). */
    void announce() {
        em.createNativeQuery("select count(*) from (select pg_notify('" + CHANNEL + "', '')) n").getSingleResult();
    }

    private Sql.Row single(String sql, Object... params) {
        return Sql.row(em, sql, params);
    }
}
