package io.sensorfleet.console.notifications;

import static io.sensorfleet.console.notifications.NotificationCategory.ALERT;
import static io.sensorfleet.console.notifications.NotificationCategory.SYSTEM;

/**
 * Kinds of notification, each with its category, default severity and title. The
 * name is what receivers see as the event class (CEF signature id, LEEF event id, RFC 5424 MSGID),
 * so names are stable: add new ones, never rename.
 */
public enum NotificationType {
    SENSOR_DISCONNECTED(SYSTEM, Severity.MAJOR, "Sensor disconnected"),
    SENSOR_RECONNECTED(SYSTEM, Severity.WARNING, "Sensor reconnected"),
    TIME_DRIFT(SYSTEM, Severity.MINOR, "Sensor clock differs from the console's"),
    REMOTE_BACKUP_FAILED(SYSTEM, Severity.MAJOR, "Remote backup failed"),
    RESTORE_FAILED(SYSTEM, Severity.MAJOR, "Restore failed"),
    UPDATE_FAILED(SYSTEM, Severity.MAJOR, "Software update failed"),
    SETTINGS_APPLY_FAILED(SYSTEM, Severity.MINOR, "Settings could not be applied"),
    ACTIVATION_EXPIRING(SYSTEM, Severity.WARNING, "Activation expires soon"),
    ACTIVATION_EXPIRED(SYSTEM, Severity.MAJOR, "Activation expired"),
    CERTIFICATE_EXPIRING(SYSTEM, Severity.WARNING, "Certificate expires soon"),
    /** The sensor's health checks went from OK (or FAILED) to DEGRADED; the message names the failing checks. */
    SENSOR_HEALTH_DEGRADED(SYSTEM, Severity.MINOR, "Sensor health degraded"),
    /** A health check of the sensor FAILED; the message names the failing checks. */
    SENSOR_HEALTH_FAILED(SYSTEM, Severity.MAJOR, "Sensor health failed"),
    /** Every health check of the sensor is OK again. */
    SENSOR_HEALTH_RECOVERED(SYSTEM, Severity.WARNING, "Sensor health recovered"),
    /** An alert a sensor reported; title and severity come from the sensor. */
    SENSOR_ALERT(ALERT, Severity.WARNING, "Sensor alert"),
    /** "Send test message" of a forwarding action; never stored. */
    TEST_MESSAGE(SYSTEM, Severity.WARNING, "SensorFleet test message");

    private final NotificationCategory category;
    private final Severity defaultSeverity;
    private final String defaultTitle;

    NotificationType(NotificationCategory category, Severity defaultSeverity, String defaultTitle) {
        this.category = category;
        this.defaultSeverity = defaultSeverity;
        this.defaultTitle = defaultTitle;
    }

    public NotificationCategory category() {
        return category;
    }

    public Severity defaultSeverity() {
        return defaultSeverity;
    }

    public String defaultTitle() {
        return defaultTitle;
    }
}
