package io.sensorfleet.protocol.v1.heartbeat;

import io.sensorfleet.protocol.v1.heartbeat.HealthCheck;

import java.util.List;

/**
 * The sensor's own view of its health, sent in every heartbeat.
 *
 * @param status {@code OK}, {@code DEGRADED} or {@code FAILED}; required. The worst status of
 *               {@code checks} when the agent sends checks.
 * @param detail what is wrong, for an operator; optional, at most 1024 characters
 * @param checks every health check the agent ran for this heartbeat, failing or not; optional
 *               (absent from agents older than the checks), at most 64 entries
 */
public record Health(Status status, String detail, List<HealthCheck> checks) {

    public enum Status {
        OK, DEGRADED, FAILED;

        /** The worse of two statuses: FAILED beats DEGRADED beats OK. */
        public Status worst(Status other) {
            return other != null && other.ordinal() > ordinal() ? other : this;
        }
    }

    /** Health as agents before the checks sent it. */
    public Health(Status status, String detail) {
        this(status, detail, null);
    }

    public static Health ok() {
        return new Health(Status.OK, null, null);
    }
}
