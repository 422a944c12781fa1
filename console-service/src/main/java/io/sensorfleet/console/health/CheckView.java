package io.sensorfleet.console.health;

import io.sensorfleet.protocol.v1.heartbeat.HealthCheck;

/**
 * One health check as stored and as the API shows it.
 *
 * @param name     e.g. {@code disk:/var/lib/sensor}, {@code service:suricata}, {@code interface:eth1}
 * @param status   OK, DEGRADED or FAILED
 * @param message  what the sensor says about it, e.g. "92 % used, alarm at 85 %"
 * @param observed the measured value as text
 */
public record CheckView(String name, String status, String message, String observed) {
    static CheckView of(HealthCheck c) {
        return new CheckView(c.name(), c.status().name(), c.message(), c.observed());
    }

    public boolean failing() {
        return !"OK".equals(status);
    }
}
