package io.sensorfleet.console.backups;

import io.sensorfleet.console.platform.ProblemType;
import io.sensorfleet.console.common.AfterCommit;
import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.console.sensors.SensorAssignment;
import io.sensorfleet.console.sensors.SensorFilter;
import io.sensorfleet.console.sensors.SensorService;
import io.sensorfleet.console.zones.Zone;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.UUID;

/** Operator changes: start collections and restores, delete backups, set allocations. */
@ApplicationScoped
@Transactional
public class BackupService {
    /** Which sensors a collection is for: exactly one of the four. */
    public record Targets(List<UUID> sensorIds, UUID zoneId, SensorAssignment.FilterSpec filter, Boolean all) {
    }

    private final EntityManager em;
    private final BackupTasks tasks;
    private final BackupStorage storage;
    private final SensorService sensors;
    private final BackupsConfig config;
    private final Clock clock;

    BackupService(EntityManager em, BackupTasks tasks, BackupStorage storage, SensorService sensors,
                  BackupsConfig config, Clock clock) {
        this.em = em;
        this.tasks = tasks;
        this.storage = storage;
        this.sensors = sensors;
        this.config = config;
        this.clock = clock;
    }

    public BackupTasks.Started collect(Targets t, String actor) {
        int given = (t.sensorIds() != null ? 1 : 0) + (t.zoneId() != null ? 1 : 0) + (t.filter() != null ? 1 : 0)
                + (Boolean.TRUE.equals(t.all()) ? 1 : 0);
        if (given != 1) {
            throw ProblemException.badRequest("give exactly one of sensorIds, zoneId, filter and all: true");
        }
        List<UUID> ids;
        String target;
        if (t.sensorIds() != null) {
            if (t.sensorIds().stream().anyMatch(java.util.Objects::isNull)) {
                throw ProblemException.badRequest("sensorIds: must not contain null");
            }
            ids = t.sensorIds();
            target = ids.size() == 1 ? "sensor " + ids.get(0) : ids.size() + " listed sensors";
        } else if (t.zoneId() != null) {
            if (Zone.findById(t.zoneId()) == null) {
                throw ProblemException.notFound("zone", t.zoneId());
            }
            ids = sensors.ids(new SensorFilter(null, null, null, t.zoneId(), null, null, null, null));
            target = "zone " + t.zoneId();
        } else if (t.filter() != null) {
            ids = sensors.ids(t.filter().toFilter());
            target = "sensors matching " + t.filter();
        } else {
            ids = sensors.ids(new SensorFilter(null, null, null, null, null, null, null, null));
            target = "all sensors";
        }
        if (ids.isEmpty()) {
            throw ProblemException.badRequest("no sensor matches " + target);
        }
        return tasks.collect(ids, target, actor);
    }

    /** Queues a restore of the backup onto its sensor; refused at once when the versions differ. */
    public UUID restore(UUID backupId, String actor) {
        return tasks.restore(backupId, actor);
    }

    /** Deletes a stored backup and its file (after the commit); refused while a restore from it runs. */
    public void delete(UUID backupId) {
        long restoring = ((Number) em.createNativeQuery("select count(*) from backup_tasks where backup_id = ?1 "
                + "and action = 'RESTORE' and state in ('PENDING', 'OFFERED', 'RUNNING')").setParameter(1, backupId)
                .getSingleResult()).longValue();
        if (restoring > 0) {
            throw BackupProblem.inUse("a restore from backup " + backupId + " is under way; delete it when that ends");
        }
        @SuppressWarnings("unchecked")
        List<String> gone = em.createNativeQuery("delete from backups where id = ?1 and state = 'STORED' returning storage_name")
                .setParameter(1, backupId).getResultList();
        if (gone.isEmpty()) {
            throw ProblemException.notFound("backup", backupId);
        }
        AfterCommit.run(() -> gone.forEach(storage::delete));
    }

    /** The stored file and its names, for a download. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Path file(UUID backupId) {
        List<?> rows = em.createNativeQuery("select storage_name from backups where id = ?1 and state = 'STORED'")
                .setParameter(1, backupId).getResultList();
        if (rows.isEmpty()) {
            throw ProblemException.notFound("backup", backupId);
        }
        Path p = storage.file((String) rows.get(0));
        if (!Files.isRegularFile(p)) {
            throw new ProblemException(ProblemType.BACKUP_FILE_MISSING, "the file of backup " + backupId
                    + " is missing from the backup storage " + storage.root());
        }
        return p;
    }

    /** Sets (bytes) or removes (null: back to the default) a sensor's allocation. */
    public BackupViews.Allocation allocate(UUID sensorId, Long bytes, String actor) {
        if (em.createNativeQuery("select 1 from sensors where id = ?1").setParameter(1, sensorId).getResultList().isEmpty()) {
            throw ProblemException.notFound("sensor", sensorId);
        }
        if (bytes == null) {
            em.createNativeQuery("delete from backup_allocations where sensor_id = ?1").setParameter(1, sensorId).executeUpdate();
            return new BackupViews.Allocation(sensorId, config.allocationBytes(), false);
        }
        if (bytes < 1) {
            throw ProblemException.badRequest("bytes: a positive number, or null for the default");
        }
        em.createNativeQuery("insert into backup_allocations (sensor_id, bytes, updated_by, updated_at) values (?1, ?2, ?3, ?4) "
                        + "on conflict (sensor_id) do update set bytes = excluded.bytes, updated_by = excluded.updated_by, "
                        + "updated_at = excluded.updated_at")
                .setParameter(1, sensorId).setParameter(2, bytes).setParameter(3, actor).setParameter(4, clock.instant())
                .executeUpdate();
        return new BackupViews.Allocation(sensorId, bytes, true);
    }
}
