package io.sensorfleet.console.health;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A sensor's health as it last reported it.
 *
 * @param status     OK, DEGRADED or FAILED; null when the sensor has not reported yet
 * @param since      when the status last changed
 * @param reportedAt the heartbeat that last changed the health (not the last heartbeat: an
 *                   unchanged health is not rewritten)
 * @param checks     every check, by name; empty for agents that send no checks
 */
public record SensorHealthView(UUID sensorId, String status, Instant since, Instant reportedAt, List<CheckView> checks) {

    /** The checks that are not OK. */
    public List<CheckView> failing() {
        return checks.stream().filter(CheckView::failing).toList();
    }
}
