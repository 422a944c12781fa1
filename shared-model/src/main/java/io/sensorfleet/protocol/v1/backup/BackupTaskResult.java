package io.sensorfleet.protocol.v1.backup;

import java.util.UUID;

/**
 * How a task ended on the sensor: a restore (either way), or a backup the sensor could not take
 * or find. A successful upload needs no result: the console sees it complete.
 *
 * @param taskId  the task; required
 * @param ok      true when the restore was applied; required
 * @param failure what kind of failure; required when {@code ok} is false
 * @param reason  what went wrong, for a person to read; required when {@code ok} is false
 */
public record BackupTaskResult(UUID taskId, boolean ok, BackupFailureKind failure, String reason) {
}
