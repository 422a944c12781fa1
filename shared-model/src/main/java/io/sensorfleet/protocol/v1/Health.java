package io.sensorfleet.protocol.v1;

/**
 * The sensor's own view of its health, sent in every heartbeat.
 *
 * @param status {@code OK}, {@code DEGRADED} or {@code FAILED}; required
 * @param detail what is wrong, for an operator; optional, at most 1024 characters
 */
public record Health(Status status, String detail) {
    public enum Status { OK, DEGRADED, FAILED }

    public static Health ok() {
        return new Health(Status.OK, null);
    }
}
