package io.sensorfleet.protocol.v1.backup;

import io.sensorfleet.protocol.v1.AgentPaths;
import java.util.UUID;

/**
 * The backup a sensor is asked to restore; all fields but {@code secrets} always present.
 *
 * @param backupId        download it from {@link AgentPaths#backupContent(UUID)}
 * @param fileName        its name as the sensor gave it (sanitised by the console)
 * @param size            length in bytes
 * @param sha256          SHA-256 of the whole file, lowercase hex; the sensor checks it before restoring
 * @param softwareVersion version the backup was taken with
 * @param secrets         optional: the backup's {@code config/secrets.conf}, which the backup holds sealed to the
 *                        console ({@code config/secrets.conf.sealed}); opened by the console and sent only over
 *                        the mutual-TLS agent plane, for the sensor to write back (mode 0600) instead of the sealed
 *                        entry. Absent when the backup holds no sealed secrets
 */
public record RestoreSource(UUID backupId, String fileName, long size, String sha256, String softwareVersion,
                            String secrets) {

    /** A source without secrets, as before they were added. */
    public RestoreSource(UUID backupId, String fileName, long size, String sha256, String softwareVersion) {
        this(backupId, fileName, size, sha256, softwareVersion, null);
    }

    /** Keeps the secrets out of logs and exception messages. */
    @Override
    public String toString() {
        return "RestoreSource[backupId=" + backupId + ", fileName=" + fileName + ", size=" + size + ", sha256=" + sha256
                + ", softwareVersion=" + softwareVersion + ", secrets=" + (secrets == null ? "none" : "(set)") + "]";
    }
}
