package io.sensorfleet.console.sensors;

import java.time.Instant;
import java.util.UUID;

/**
 * A sensor as the API shows it.
 *
 * @param clockOffsetMs sensor clock minus console clock at its last heartbeat, in ms
 * @param healthStatus  OK, DEGRADED or FAILED, as the sensor reported it
 */
public record SensorView(UUID id, String name, String hostname, UUID zoneId, String zoneName, String softwareVersion,
                         Connectivity connectivity, Instant connectivitySince, Instant lastSeen, Long clockOffsetMs,
                         String healthStatus, String healthDetail, Instant enrolledAt, Instant certificateNotAfter,
                         long desiredSettingsRevision, long appliedSettingsRevision) {

    static SensorView of(Sensor s, String zoneName) {
        return new SensorView(s.id, s.name, s.hostname, s.zoneId, zoneName, s.softwareVersion, s.connectivity,
                s.connectivitySince, s.lastSeen, s.clockOffsetMs, s.healthStatus, s.healthDetail, s.enrolledAt,
                s.certificateNotAfter, s.desiredSettingsRevision, s.appliedSettingsRevision);
    }
}
