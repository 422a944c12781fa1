package io.sensorfleet.simulator;

import io.sensorfleet.protocol.v1.heartbeat.Health;
import io.sensorfleet.protocol.v1.heartbeat.HeartbeatResponse;

/**
 * What a simulated sensor does besides reporting, so scenarios can add work without touching the
 * heartbeat loop. Protocol v1 has heartbeats only; the hooks are where later features plug in once
 * the protocol carries them: acknowledging a settings revision the console announces, uploading a
 * backup it asks for, sending alerts. Called on the sensor's own virtual thread.
 */
public interface SensorBehaviour {

    SensorBehaviour HEALTHY = new SensorBehaviour() {
    };

    /** The health the sensor reports in its next heartbeat. */
    default Health health(String sensorId) {
        return Health.ok();
    }

    /**
     * After each accepted heartbeat, with the console's answer. {@code exchange} sends further
     * requests over the sensor's own mTLS connection (e.g. a settings acknowledgement).
     */
    default void afterHeartbeat(String sensorId, HeartbeatResponse response, Exchange exchange) {
    }

    /** A request over the sensor's connection; its outcome is counted in the run's statistics under its path. */
    @FunctionalInterface
    interface Exchange {
        /** @return the HTTP status */
        int post(String path, Object body) throws java.io.IOException;
    }
}
