package io.sensorfleet.protocol.v1.heartbeat;

import java.time.Instant;

/**
 * The console's answer to a heartbeat.
 *
 * @param serverTime               the console's clock when answering
 * @param heartbeatIntervalSeconds the interval the agent should use from now on
 */
public record HeartbeatResponse(Instant serverTime, int heartbeatIntervalSeconds) {
}
