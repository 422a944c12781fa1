package io.sensorfleet.protocol.v1.activation;

import java.time.Instant;

/**
 * The activation file a sensor runs with, as it reports it.
 *
 * @param fileId     id of the installed file; required
 * @param mode       LOCALLY_MANAGED or CONSOLE_CONNECTED; required
 * @param sensorName the name the file gives the sensor; required
 * @param expiresAt  end of validity; null when the mode has none
 */
public record ActivationState(String fileId, String mode, String sensorName, Instant expiresAt) {
}
