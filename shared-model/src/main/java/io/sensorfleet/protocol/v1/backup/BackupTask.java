package io.sensorfleet.protocol.v1.backup;

import io.sensorfleet.protocol.v1.AgentPaths;
import java.util.UUID;

/**
 * Work the console hands a sensor on the backup long-poll ({@link AgentPaths#BACKUP_TASKS}).
 *
 * @param taskId               identifies the task in every later call; always present
 * @param action               what to do; always present
 * @param reuseWithinSeconds   BACKUP only: the sensor may upload its newest local backup when it is at
 *                             most this old (a scheduled collection picks up the sensor's own daily
 *                             backup); 0 means take a new one now, and is what RESTORE carries
 * @param restore              RESTORE only: the stored backup to download and restore; absent for BACKUP
 * @param sealingKey           BACKUP only, optional (absent from consoles before it was added): the key the
 *                             sensor seals its secrets with before the backup leaves it
 */
public record BackupTask(UUID taskId, Action action, long reuseWithinSeconds, RestoreSource restore,
                         SealingKey sealingKey) {

    /** A task without a sealing key, as before the key was added. */
    public BackupTask(UUID taskId, Action action, long reuseWithinSeconds, RestoreSource restore) {
        this(taskId, action, reuseWithinSeconds, restore, null);
    }

    /** What the console asks for. */
    public enum Action {
        /** Take (or reuse) a backup and upload it through {@link AgentPaths#BACKUP_UPLOADS}. */
        BACKUP,
        /** Download {@link BackupTask#restore()} and restore it, then report through {@link AgentPaths#BACKUP_RESULTS}. */
        RESTORE
    }
}
