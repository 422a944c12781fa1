package io.sensorfleet.console.sensors;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A sensor as the API shows it.
 *
 * @param clockOffsetMs sensor clock minus console clock at its last heartbeat, in ms
 * @param healthStatus  OK, DEGRADED or FAILED, as the sensor reported it
 * @param activationWarning EXPIRING from 30 days before the activation file expires, EXPIRED after
 *                          (the sensor keeps working), null otherwise
 * @param failingChecks the names of the health checks that are not OK (details: its health resource)
 * @param updateStatus  the stage of its latest update (see the inventory's updateStatus filter), null if never updated
 * @param lastBackupAt  when its latest stored backup was stored, null if none
 * @param labels        its labels, by key
 */
public record SensorView(UUID id, String name, String hostname, UUID zoneId, String zoneName, String softwareVersion,
                         Connectivity connectivity, Instant connectivitySince, Instant lastSeen, Long clockOffsetMs,
                         String healthStatus, String healthDetail, Instant enrolledAt, Instant certificateNotAfter,
                         long desiredSettingsRevision, long appliedSettingsRevision, String activationMode,
                         Instant activationExpiresAt, String activationWarning, List<String> failingChecks,
                         String updateStatus, Instant updateStatusAt, Instant lastBackupAt,
                         java.util.SortedMap<String, String> labels) {
    /** How long before expiry the warning shows (seed: one month). */
    public static final java.time.Duration EXPIRY_WARNING = java.time.Duration.ofDays(30);

    static SensorView of(Sensor s, String zoneName, Instant now) {
        return new SensorView(s.id, s.name, s.hostname, s.zoneId, zoneName, s.softwareVersion, s.connectivity,
                s.connectivitySince, s.lastSeen, s.clockOffsetMs, s.healthStatus, s.healthDetail, s.enrolledAt,
                s.certificateNotAfter, s.desiredSettingsRevision, s.appliedSettingsRevision, s.activationMode,
                s.activationExpiresAt, warning(s.activationExpiresAt, now), List.of(), s.updateStatus, s.updateStatusAt,
                s.lastBackupAt, new java.util.TreeMap<>());
    }

    SensorView withFailingChecks(List<String> names) {
        return new SensorView(id, name, hostname, zoneId, zoneName, softwareVersion, connectivity, connectivitySince,
                lastSeen, clockOffsetMs, healthStatus, healthDetail, enrolledAt, certificateNotAfter,
                desiredSettingsRevision, appliedSettingsRevision, activationMode, activationExpiresAt,
                activationWarning, names, updateStatus, updateStatusAt, lastBackupAt, labels);
    }

    SensorView withLabels(java.util.Map<String, String> labels) {
        return new SensorView(id, name, hostname, zoneId, zoneName, softwareVersion, connectivity, connectivitySince,
                lastSeen, clockOffsetMs, healthStatus, healthDetail, enrolledAt, certificateNotAfter,
                desiredSettingsRevision, appliedSettingsRevision, activationMode, activationExpiresAt,
                activationWarning, failingChecks, updateStatus, updateStatusAt, lastBackupAt,
                new java.util.TreeMap<>(labels == null ? java.util.Map.of() : labels));
    }

    static String warning(Instant expires, Instant now) {
        if (expires == null) {
            return null;
        }
        return !now.isBefore(expires) ? "EXPIRED" : !now.plus(EXPIRY_WARNING).isBefore(expires) ? "EXPIRING" : null;
    }
}
