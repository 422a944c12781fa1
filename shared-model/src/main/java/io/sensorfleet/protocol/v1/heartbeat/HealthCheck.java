package io.sensorfleet.protocol.v1.heartbeat;

import io.sensorfleet.protocol.v1.heartbeat.Health;

/**
 * One health check the agent ran on the appliance, sent inside {@link Health#checks()}.
 *
 * @param name     stable identifier of the check, e.g. {@code disk:/var/lib/sensor},
 *                 {@code service:suricata}, {@code interface:eth1}, {@code memory}; required,
 *                 at most 128 characters
 * @param status   {@code OK}, {@code DEGRADED} or {@code FAILED}; required. A check whose source is
 *                 missing on the appliance says so in {@code message} with status {@code DEGRADED}
 * @param message  what the operator reads, e.g. "92 % used, alarm at 85 %"; optional, at most 512
 *                 characters
 * @param observed the measured value as text, e.g. {@code 92}; optional, at most 128 characters
 */
public record HealthCheck(String name, Health.Status status, String message, String observed) {
}
