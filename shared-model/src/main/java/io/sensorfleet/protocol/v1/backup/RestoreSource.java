package io.sensorfleet.protocol.v1.backup;

import io.sensorfleet.protocol.v1.AgentPaths;
import java.util.UUID;

/**
 * The backup a sensor is asked to restore; all fields always present.
 *
 * @param backupId        download it from {@link AgentPaths#backupContent(UUID)}
 * @param fileName        its name as the sensor gave it (sanitised by the console)
 * @param size            length in bytes
 * @param sha256          SHA-256 of the whole file, lowercase hex; the sensor checks it before restoring
 * @param softwareVersion version the backup was taken with
 */
public record RestoreSource(UUID backupId, String fileName, long size, String sha256, String softwareVersion) {
}
