package io.sensorfleet.protocol.v1.backup;

import java.time.Instant;
import java.util.UUID;

/**
 * Sent by the agent to start uploading a backup for a task, and again to resume after an
 * interruption (the console answers with the number of bytes it already has). All fields required.
 *
 * @param taskId          the BACKUP task this answers
 * @param fileName        the backup's name on the sensor; the console stores it under a name of its own
 * @param size            length of the file in bytes
 * @param sha256          SHA-256 of the whole file, lowercase hex; the console checks the bytes it received against it
 * @param softwareVersion version the backup was taken with (a restore needs the same one)
 * @param takenAt         when the sensor took it
 */
public record BackupUploadRequest(UUID taskId, String fileName, long size, String sha256, String softwareVersion,
                                  Instant takenAt) {
}
