package io.sensorfleet.protocol.v1.activation;

/**
 * Sent by the agent when it installs an activation file, so the console can accept or reject it.
 *
 * @param fileId id of the file installed; required
 */
public record ActivationInstalled(String fileId) {
}
