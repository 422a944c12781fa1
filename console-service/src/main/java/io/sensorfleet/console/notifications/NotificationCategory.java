package io.sensorfleet.console.notifications;

/** What a forwarding rule reports: system notifications, sensor alerts, or both. */
public enum NotificationCategory {
    /** Failures and state changes of the fleet itself: disconnects, failed backups, expiring certificates. */
    SYSTEM,
    /** Alerts a sensor detected in the network it watches. */
    ALERT
}
