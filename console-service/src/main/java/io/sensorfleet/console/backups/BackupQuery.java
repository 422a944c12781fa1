package io.sensorfleet.console.backups;

import io.sensorfleet.console.common.Page;
import io.sensorfleet.console.common.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.sql.Date;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
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

    @Inject
    EntityManager em;
    @Inject
    BackupsConfig config;

    /** Backups, newest first; of one sensor when {@code sensorId} is given. */
    public Page<BackupViews.Backup> backups(UUID sensorId, int page, int size) {
        String where = sensorId == null ? "" : " where sensor_id = ?1";
        List<Object[]> rows = list("select " + BACKUP_COLUMNS + " from backups" + where
                + " order by coalesce(stored_at, created_at) desc, id limit " + size + " offset " + (long) page * size, sensorId);
        long total = count("select count(*) from backups" + where, sensorId);
        return new Page<>(rows.stream().map(BackupQuery::backup).toList(), page, size, total);
    }

    public BackupViews.Backup backup(UUID id) {
        List<Object[]> rows = list("select " + BACKUP_COLUMNS + " from backups where id = ?1", id);
        if (rows.isEmpty()) {
            throw ProblemException.notFound("backup", id);
        }
        return backup(rows.get(0));
    }

    /** Collections, newest first, each with its progress. */
    public Page<BackupViews.Collection> collections(int page, int size) {
        List<Object[]> rows = list(collectionSql("") + " order by c.created_at desc, c.id limit " + size + " offset "
                + (long) page * size);
        long total = count("select count(*) from backup_collections");
        return new Page<>(rows.stream().map(BackupQuery::collection).toList(), page, size, total);
    }

    public BackupViews.Collection collection(UUID id) {
        List<Object[]> rows = list(collectionSql(" where c.id = ?1"), id);
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
        List<Object[]> rows = list("select " + TASK_COLUMNS + " from backup_tasks t left join sensors s on s.id = t.sensor_id"
                + where + " order by t.seq desc limit " + size + " offset " + (long) page * size, params.toArray());
        long total = count("select count(*) from backup_tasks t" + where, params.toArray());
        return new Page<>(rows.stream().map(BackupQuery::task).toList(), page, size, total);
    }

    /** Failures, newest first; of one sensor when given. */
    public Page<BackupViews.Failure> failures(UUID sensorId, int page, int size) {
        String where = sensorId == null ? "" : " where sensor_id = ?1";
        List<Object[]> rows = list("select " + FAILURE_COLUMNS + " from backup_failures" + where
                + " order by at desc, id desc limit " + size + " offset " + (long) page * size, sensorId);
        long total = count("select count(*) from backup_failures" + where, sensorId);
        return new Page<>(rows.stream().map(BackupQuery::failure).toList(), page, size, total);
    }

    public BackupViews.SensorSummary sensor(UUID sensorId) {
        if (count("select count(*) from sensors where id = ?1", sensorId) == 0
                && count("select count(*) from backups where sensor_id = ?1", sensorId) == 0) {
            throw ProblemException.notFound("sensor", sensorId);
        }
        List<Object[]> custom = list("select bytes from backup_allocations where sensor_id = ?1", sensorId);
        long allocation = custom.isEmpty() ? config.allocationBytes() : ((Number) first(custom.get(0))).longValue();
        List<BackupViews.Backup> backups = backups(sensorId, 0, 10).items();
        long used = count("select coalesce(sum(size_bytes), 0) from backups where sensor_id = ?1 and state = 'STORED'", sensorId);
        Instant last = backups.stream().filter(b -> "STORED".equals(b.state())).map(BackupViews.Backup::storedAt)
                .findFirst().orElse(null);
        List<BackupViews.Task> active = tasks(null, sensorId, true, 0, 1).items();
        return new BackupViews.SensorSummary(sensorId, allocation, !custom.isEmpty(), used, last, backups,
                active.isEmpty() ? null : active.get(0), failures(sensorId, 0, 5).items());
    }

    private static BackupViews.Backup backup(Object[] r) {
        return new BackupViews.Backup((UUID) r[0], (UUID) r[1], (String) r[2], (String) r[3], (String) r[4], instant(r[5]),
                num(r[6]), (String) r[7], (String) r[8], num(r[9]), (int) num(r[10]), r[11] == null ? null : num(r[11]),
                instant(r[12]), instant(r[13]));
    }

    private static BackupViews.Collection collection(Object[] r) {
        int pending = (int) num(r[6]);
        int running = (int) num(r[7]);
        return new BackupViews.Collection((UUID) r[0], (String) r[1], date(r[2]), (String) r[3], (String) r[4],
                instant(r[5]), new BackupViews.Progress(pending, running, (int) num(r[8]), (int) num(r[9]), num(r[10]),
                num(r[11]), pending + running == 0));
    }

    private static BackupViews.Task task(Object[] r) {
        return new BackupViews.Task((UUID) r[0], (UUID) r[1], (UUID) r[2], (String) r[3], (String) r[4], (UUID) r[5],
                (String) r[6], (String) r[7], (String) r[8], r[9] == null ? null : num(r[9]), num(r[10]), instant(r[11]),
                instant(r[12]), instant(r[13]));
    }

    private static BackupViews.Failure failure(Object[] r) {
        return new BackupViews.Failure(num(r[0]), (UUID) r[1], (String) r[2], (UUID) r[3], (UUID) r[4], (String) r[5],
                (String) r[6], (String) r[7], instant(r[8]));
    }

    @SuppressWarnings("unchecked")
    private List<Object[]> list(String sql, Object... params) {
        var q = em.createNativeQuery(sql);
        int i = 1;
        for (Object p : params) {
            if (p != null) {
                q.setParameter(i++, p);
            }
        }
        List<Object> rows = q.getResultList();
        return rows.stream().map(o -> o instanceof Object[] a ? a : new Object[]{o}).toList();
    }

    private long count(String sql, Object... params) {
        return num(first(list(sql, params).get(0)));
    }

    private static Object first(Object[] row) {
        return row[0];
    }

    private static long num(Object o) {
        return o == null ? 0 : ((Number) o).longValue();
    }

    private static Instant instant(Object o) {
        if (o == null) {
            return null;
        }
        if (o instanceof Instant i) {
            return i;
        }
        if (o instanceof OffsetDateTime odt) {
            return odt.toInstant();
        }
        if (o instanceof java.sql.Timestamp ts) {
            return ts.toInstant();
        }
        throw new IllegalStateException("not a timestamp: " + o.getClass());
    }

    private static LocalDate date(Object o) {
        if (o == null) {
            return null;
        }
        return o instanceof LocalDate d ? d : ((Date) o).toLocalDate();
    }
}
