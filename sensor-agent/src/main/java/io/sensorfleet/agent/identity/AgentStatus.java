package io.sensorfleet.agent.identity;

import java.time.Instant;

/**
 * How reporting to the console goes; the content of {@code status.json}, shown by {@code status}.
 *
 * @param lastAttemptAt       last heartbeat attempt, or null if none yet
 * @param lastAddress         the console address of the last attempt, or null
 * @param lastSuccessAt       last heartbeat the console accepted, or null if none yet
 * @param consecutiveFailures failed heartbeats since the last accepted one
 * @param lastError           the most recent failure (heartbeat or renewal), kept after recovery; or null
 * @param lastErrorAt         when {@code lastError} happened, or null
 */
public record AgentStatus(Instant lastAttemptAt, String lastAddress, Instant lastSuccessAt, int consecutiveFailures,
                          String lastError, Instant lastErrorAt) {

    public static AgentStatus none() {
        return new AgentStatus(null, null, null, 0, null, null);
    }

    public AgentStatus succeeded(Instant at, String address) {
        return new AgentStatus(at, address, at, 0, lastError, lastErrorAt);
    }

    public AgentStatus failed(Instant at, String address, String error) {
        return new AgentStatus(at, address, lastSuccessAt, consecutiveFailures + 1, error, at);
    }

    /** A failure that is not a failed heartbeat (e.g. renewal): remembered, but the failure count stays. */
    public AgentStatus withError(Instant at, String error) {
        return new AgentStatus(lastAttemptAt, lastAddress, lastSuccessAt, consecutiveFailures, error, at);
    }
}
