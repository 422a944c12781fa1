package io.sensorfleet.console.notifications;

import java.util.List;

/**
 * Fired synchronously, inside the recording transaction, with the notifications that may be
 * forwarded (those not suppressed by a maintenance window). Observers that write (the forwarding
 * outbox) therefore commit or roll back together with the notification.
 */
public record NotificationsRecorded(List<NotificationView> forwardable) {
}
