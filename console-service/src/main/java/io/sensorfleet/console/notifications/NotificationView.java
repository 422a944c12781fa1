package io.sensorfleet.console.notifications;

import java.time.Instant;
import java.util.UUID;

/**
 * A recorded notification, as the API shows it and as forwarding formats it.
 *
 * @param id            unique; travels in every forwarded message so receivers can drop duplicates
 * @param sensorName    the sensor's name when the notification was recorded
 * @param zoneName      the sensor's zone name when the notification was recorded
 * @param alertId       sensor alerts only: the id the agent chose
 * @param engine        sensor alerts only: the detection engine
 * @param protocol      sensor alerts only: the network protocol
 * @param source        sensor alerts only: source address or name
 * @param destination   sensor alerts only: destination address or name
 * @param suppressedBy  ticket id of the maintenance window that kept it from being forwarded, or null
 */
public record NotificationView(UUID id, Instant occurredAt, NotificationCategory category, NotificationType type,
                               Severity severity, String title, String message, UUID sensorId, String sensorName,
                               UUID zoneId, String zoneName, String alertId, String engine, String protocol,
                               String source, String destination, String suppressedBy) {
}
