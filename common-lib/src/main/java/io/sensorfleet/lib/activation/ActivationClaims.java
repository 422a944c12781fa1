package io.sensorfleet.lib.activation;

import java.time.Instant;

/**
 * The content of an activation file.
 *
 * @param fileId     unique id of this file; the console knows which file is a sensor's latest
 * @param sensorId   the sensor it is for; a file for another sensor is refused
 * @param sensorName the name the sensor takes when it installs the file (how a rename reaches it)
 * @param mode       LOCALLY_MANAGED or CONSOLE_CONNECTED
 * @param issuedAt   when the console issued it
 * @param expiresAt  end of validity for LOCALLY_MANAGED; null for CONSOLE_CONNECTED
 * @param consoleId  the issuing console
 */
public record ActivationClaims(String fileId, String sensorId, String sensorName, ActivationMode mode,
                               Instant issuedAt, Instant expiresAt, String consoleId) {
}
