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
 */
public record HeartbeatRequest(Instant sentAt, String softwareVersion, Health health, ActivationState activation) {

    /** A heartbeat without activation state. */
    public HeartbeatRequest(Instant sentAt, String softwareVersion, Health health) {
        this(sentAt, softwareVersion, health, null);
    }
}
