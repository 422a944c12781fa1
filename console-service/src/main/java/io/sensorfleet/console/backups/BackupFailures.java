package io.sensorfleet.console.backups;

import io.sensorfleet.protocol.v1.backup.BackupFailureKind;
import io.sensorfleet.protocol.v1.backup.BackupTask;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.UUID;
import io.sensorfleet.console.notifications.NotificationType;
import io.sensorfleet.console.notifications.SystemEvent;
import io.sensorfleet.console.notifications.SystemEvents;

/**
 * Records why a backup or a restore did not happen — per sensor, with time, kind and reason — in
 * the transaction of the change that ended the task, and raises the system notification for it in
 * that same transaction (see {@link #raiseSystemEvent}).
 */
@ApplicationScoped
public class BackupFailures {
    private static final Logger LOG = Logger.getLogger(BackupFailures.class);
    private static final int MAX_REASON = 2000;

    private final EntityManager em;
    private final Clock clock;
    private final SystemEvents systemEvents;

    BackupFailures(EntityManager em, Clock clock, SystemEvents systemEvents) {
        this.em = em;
        this.clock = clock;
        this.systemEvents = systemEvents;
    }

    /** One failure; the caller's transaction is required, so the record and the task's end commit together. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void record(UUID sensorId, UUID taskId, UUID backupId, BackupTask.Action action, BackupFailureKind kind,
                       String reason) {
        String text = reason == null || reason.isBlank() ? "no reason given" : reason.strip();
        if (text.length() > MAX_REASON) {
            text = text.substring(0, MAX_REASON);
        }
        em.createNativeQuery("insert into backup_failures (sensor_id, sensor_name, task_id, backup_id, action, kind, "
                        + "reason, at) values (?1, (select name from sensors where id = ?1), ?2, ?3, ?4, ?5, ?6, ?7)")
                .setParameter(1, sensorId).setParameter(2, taskId).setParameter(3, backupId)
                .setParameter(4, action.name()).setParameter(5, kind.name()).setParameter(6, text)
                .setParameter(7, clock.instant()).executeUpdate();
        raiseSystemEvent(sensorId, action, kind, text);
    }

    /**
     * The one place where a backup failure becomes a system notification: "remote backup failure"
     * for a collection, "restore failure" for a restore, recorded (and queued for
     * forwarding) inside the transaction that records the failure.
     */
    void raiseSystemEvent(UUID sensorId, BackupTask.Action action, BackupFailureKind kind, String reason) {
        LOG.warnf("%s failure on sensor %s (%s): %s", action == BackupTask.Action.RESTORE ? "restore" : "remote backup",
                sensorId, kind, reason);
        systemEvents.record(SystemEvent.of(action == BackupTask.Action.RESTORE ? NotificationType.RESTORE_FAILED
                : NotificationType.REMOTE_BACKUP_FAILED, sensorId, kind + ": " + reason));
    }
}
