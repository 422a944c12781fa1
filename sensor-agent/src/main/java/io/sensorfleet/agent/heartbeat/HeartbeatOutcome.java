package io.sensorfleet.agent.heartbeat;

import io.sensorfleet.protocol.v1.enrollment.AgentAddress;

import java.time.Duration;

/**
 * What one {@link HeartbeatLoop#runOnce()} did.
 *
 * @param result    whether the console accepted the heartbeat
 * @param address   the console address called, or null if none was
 * @param nextDelay how long to wait before the next attempt
 * @param error     why the heartbeat or the renewal failed, or null
 * @param renewal   what happened to the certificate
 */
public record HeartbeatOutcome(Result result, AgentAddress address, Duration nextDelay, String error,
                               Renewal renewal) {

    public enum Result { REPORTED, FAILED, NOT_CONNECTED }

    public enum Renewal { NOT_DUE, RENEWED, FAILED }

    public boolean reported() {
        return result == Result.REPORTED;
    }
}
