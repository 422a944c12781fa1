package io.sensorfleet.console.expiry;

import java.time.Instant;
import java.util.UUID;

/**
 * Something that expires: a certificate the console holds, or a sensor's activation file.
 *
 * @param kind              INTERNAL_CA, OPERATOR_PLANE, AGENT_PLANE_SERVER or ACTIVATION_FILE
 * @param subject           the certificate's subject; for activation files the sensor's name
 * @param sha256Fingerprint certificates only
 * @param sensorId          activation files only
 * @param activationFileId  activation files only
 * @param daysLeft          whole days until {@code expiresAt}; negative once expired
 * @param state             EXPIRING or EXPIRED
 */
public record ExpiringItem(String kind, String subject, String sha256Fingerprint, UUID sensorId, UUID activationFileId,
                           Instant expiresAt, long daysLeft, String state) {
}
