package io.sensorfleet.protocol.v1.heartbeat;

import io.sensorfleet.protocol.v1.activation.ActivationState;
import java.time.Instant;

/**
 * Sent by the agent every heartbeat interval (default 30 s ± 10 %) over mTLS; the sensor is
 * identified by its client certificate, never by the body.
 *
 * @param sentAt          the sensor's local clock when sending; required (the console derives the clock offset)
 * @param softwareVersion the sensor's software version; required
 * @param health          the sensor's health; required
 * @param activation      the installed activation file; optional (absent before the first one)
 * @param roundTripMs     how long the agent's previous heartbeat took, from sending it to reading the answer, in
 *                        milliseconds (0 to 600,000); optional (absent on an agent's first heartbeat and from agents
 *                        older than this field). Added to protocol v1 as an optional field: consoles that do not
 *                        know it ignore it.
 */
public record HeartbeatRequest(Instant sentAt, String softwareVersion, Health health, ActivationState activation,
                               Long roundTripMs) {

    /** The longest round trip a console accepts, in milliseconds. */
    public static final long MAX_ROUND_TRIP_MS = 600_000;

    /** A heartbeat without a measured round trip. */
    public HeartbeatRequest(Instant sentAt, String softwareVersion, Health health, ActivationState activation) {
        this(sentAt, softwareVersion, health, activation, null);
    }

    /** A heartbeat without activation state. */
    public HeartbeatRequest(Instant sentAt, String softwareVersion, Health health) {
        this(sentAt, softwareVersion, health, null, null);
    }
}
