package io.sensorfleet.console.backups;

import io.sensorfleet.console.common.Sql;
import io.sensorfleet.console.common.Page;
import io.sensorfleet.console.common.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Reads for the operator API: backups, collections with their progress, tasks, failures. */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class BackupQuery {
    private static final String BACKUP_COLUMNS = "id, sensor_id, sensor_name, file_name, software_version, taken_at, "
            + "size_bytes, sha256, state, received_bytes, upload_attempts, resumed_from, created_at, stored_at";
    private static final String TASK_COLUMNS = "t.id, t.collection_id, t.sensor_id, s.name, t.action, t.backup_id, "
            + "t.state, t.failure_kind, t.reason, t.bytes_total, t.bytes_done, t.created_at, t.started_at, t.finished_at";
    private static final String FAILURE_COLUMNS = "id, sensor_id, sensor_name, task_id, backup_id, action, kind, reason, at";

    private final EntityManager em;
    private final BackupsConfig config;

    BackupQuery(EntityManager em, BackupsConfig config) {
        this.em = em;
        this.config = config;
    }

    /** Backups, newest first; of one sensor when {@code sensorId} is given. */
    public Page<BackupViews.Backup> backups(UUID sensorId, int page, int size) {
        String where = sensorId == null ? "" : " where sensor_id = ?1";
        List<Sql.Row> rows = list("select " + BACKUP_COLUMNS + " from backups" + where
                + " order by coalesce(stored_at, created_at) desc, id limit " + size + " offset " + (long) page * size, sensorId);
        long total = count("select count(*) from backups" + where, sensorId);
        return new Page<>(rows.stream().map(BackupQuery::backup).toList(), page, size, total);
    }

    public BackupViews.Backup backup(UUID id) {
        List<Sql.Row> rows = list("select " + BACKUP_COLUMNS + " from backups where id = ?1", id);
        if (rows.isEmpty()) {
            throw ProblemException.notFound("backup", id);
        }
        return backup(rows.get(0));
    }

    /** Collections, newest first, each with its progress. */
    public Page<BackupViews.Collection> collections(int page, int size) {
        List<Sql.Row> rows = list(collectionSql("") + " order by c.created_at desc, c.id limit " + size + " offset "
                + (long) page * size);
        long total = count("select count(*) from backup_collections");
        return new Page<>(rows.stream().map(BackupQuery::collection).toList(), page, size, total);
    }

    public BackupViews.Collection collection(UUID id) {
        List<Sql.Row> rows = list(collectionSql(" where c.id = ?1"), id);
        if (rows.isEmpty()) {
            throw ProblemException.notFound("collection", id);
        }
        return collection(rows.get(0));
    }

    private static String collectionSql(String where) {
        return "select c.id, c.trigger, c.scheduled_for, c.target, c.requested_by, c.created_at, "
                + "count(t.id) filter (where t.state = 'PENDING'), "
                + "count(t.id) filter (where t.state in ('OFFERED', 'RUNNING')), "
                + "count(t.id) filter (where t.state = 'DONE'), count(t.id) filter (where t.state = 'FAILED'), "
                + "coalesce(sum(t.bytes_done), 0), coalesce(sum(t.bytes_total), 0) "
                + "from backup_collections c left join backup_tasks t on t.collection_id = c.id" + where
                + " group by c.id";
    }

    /** Tasks, newest first, filtered by collection, sensor and whether they are still active. */
    public Page<BackupViews.Task> tasks(UUID collectionId, UUID sensorId, Boolean active, int page, int size) {
        List<String> and = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        if (collectionId != null) {
            params.add(collectionId);
            and.add("t.collection_id = ?" + params.size());
        }
        if (sensorId != null) {
            params.add(sensorId);
            and.add("t.sensor_id = ?" + params.size());
        }
        if (active != null) {
            and.add((active ? "" : "not ") + "t.state in ('PENDING', 'OFFERED', 'RUNNING')");
        }
        String where = and.isEmpty() ? "" : " where " + String.join(" and ", and);
        List<Sql.Row> rows = list("select " + TASK_COLUMNS + " from backup_tasks t left join sensors s on s.id = t.sensor_id"
                + where + " order by t.seq desc limit " + size + " offset " + (long) page * size, params.toArray());
        long total = count("select count(*) from backup_tasks t" + where, params.toArray());
        return new Page<>(rows.stream().map(BackupQuery::task).toList(), page, size, total);
    }

    /** Failures, newest first; of one sensor when given. */
    public Page<BackupViews.Failure> failures(UUID sensorId, int page, int size) {
        String where = sensorId == null ? "" : " where sensor_id = ?1";
        List<Sql.Row> rows = list("select " + FAILURE_COLUMNS + " from backup_failures" + where
                + " order by at desc, id desc limit " + size + " offset " + (long) page * size, sensorId);
        long total = count("select count(*) from backup_failures" + where, sensorId);
        return new Page<>(rows.stream().map(BackupQuery::failure).toList(), page, size, total);
    }

    public BackupViews.SensorSummary sensor(UUID sensorId) {
        if (count("select count(*) from sensors where id = ?1", sensorId) == 0
                && count("select count(*) from backups where sensor_id = ?1", sensorId) == 0) {
            throw ProblemException.notFound("sensor", sensorId);
        }
        List<Sql.Row> custom = list("select bytes from backup_allocations where sensor_id = ?1", sensorId);
        long allocation = custom.isEmpty() ? config.allocationBytes() : custom.get(0).longValue(0);
        List<BackupViews.Backup> backups = backups(sensorId, 0, 10).items();
        long used = count("select coalesce(sum(size_bytes), 0) from backups where sensor_id = ?1 and state = 'STORED'", sensorId);
        Instant last = backups.stream().filter(b -> "STORED".equals(b.state())).map(BackupViews.Backup::storedAt)
                .findFirst().orElse(null);
        List<BackupViews.Task> active = tasks(null, sensorId, true, 0, 1).items();
        return new BackupViews.SensorSummary(sensorId, allocation, !custom.isEmpty(), used, last, backups,
                active.isEmpty() ? null : active.get(0), failures(sensorId, 0, 5).items());
    }

    private static BackupViews.Backup backup(Sql.Row r) {
        return new BackupViews.Backup(r.uuid(0), r.uuid(1), r.string(2), r.string(3), r.string(4), r.instant(5),
                r.longValue(6), r.string(7), r.string(8), r.longValue(9), (int) r.longValue(10), r.get(11) == null ? null : r.longValue(11),
                r.instant(12), r.instant(13));
    }

    private static BackupViews.Collection collection(Sql.Row r) {
        int pending = (int) r.longValue(6);
        int running = (int) r.longValue(7);
        return new BackupViews.Collection(r.uuid(0), r.string(1), r.date(2), r.string(3), r.string(4),
                r.instant(5), new BackupViews.Progress(pending, running, (int) r.longValue(8), (int) r.longValue(9), r.longValue(10),
                r.longValue(11), pending + running == 0));
    }

    private static BackupViews.Task task(Sql.Row r) {
        return new BackupViews.Task(r.uuid(0), r.uuid(1), r.uuid(2), r.string(3), r.string(4), r.uuid(5),
                r.string(6), r.string(7), r.string(8), r.get(9) == null ? null : r.longValue(9), r.longValue(10), r.instant(11),
                r.instant(12), r.instant(13));
    }

    private static BackupViews.Failure failure(Sql.Row r) {
        return new BackupViews.Failure(r.longValue(0), r.uuid(1), r.string(2), r.uuid(3), r.uuid(4), r.string(5),
                r.string(6), r.string(7), r.instant(8));
    }

    /** Null parameters are left out: the optional filters of these queries add their own placeholders. */
    private List<Sql.Row> list(String sql, Object... params) {
        return Sql.rows(em, sql, java.util.Arrays.stream(params).filter(java.util.Objects::nonNull).toArray());
    }

    private long count(String sql, Object... params) {
        return list(sql, params).get(0).longValue(0);
    }
}
