package io.sensorfleet.agent.backup;

import java.time.Instant;
import java.util.List;

/**
 * The first entry of every backup archive, {@value #ENTRY}: what it is and which version made it,
 * so a restore can refuse another version before touching anything.
 *
 * @param format          archive layout version, {@value #FORMAT}
 * @param sensorId        the sensor that took it
 * @param sensorName      its name then
 * @param softwareVersion agent version that took it; a restore needs the same one
 * @param takenAt         when
 * @param contents        top-level directories in the archive ({@link StateLayout#BACKED_UP})
 */
public record BackupManifest(int format, String sensorId, String sensorName, String softwareVersion, Instant takenAt,
                             List<String> contents) {
    public static final String ENTRY = "sensorfleet-backup.json";
    public static final int FORMAT = 1;
}
