package io.sensorfleet.agent.backup;

import java.nio.file.Path;
import java.time.Instant;

/**
 * A backup file on the sensor, with its checksum file beside it.
 *
 * @param file            the {@code .tar}
 * @param sha256          SHA-256 of the whole file, lowercase hex
 * @param size            bytes
 * @param softwareVersion version that took it
 * @param takenAt         when
 */
public record LocalBackup(Path file, String sha256, long size, String softwareVersion, Instant takenAt) {

    public String fileName() {
        return file.getFileName().toString();
    }
}
