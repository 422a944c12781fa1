package io.sensorfleet.console.notifications;

import java.util.Objects;
import java.util.UUID;

/**
 * A system notification to record with {@link SystemEvents#record(SystemEvent)}.
 *
 * @param type     what happened; a {@link NotificationCategory#SYSTEM} type
 * @param severity how bad it is
 * @param sensorId the sensor it concerns, or null for the console itself (its name and zone are
 *                 looked up when recording)
 * @param title    one line for lists and SIEM event names
 * @param message  details for a person to read; optional
 */
public record SystemEvent(NotificationType type, Severity severity, UUID sensorId, String title, String message) {

    public SystemEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(title, "title");
        if (type.category() != NotificationCategory.SYSTEM) {
            throw new IllegalArgumentException(type + " is not a system notification");
        }
    }

    /** An event of {@code type} with its default severity and title. */
    public static SystemEvent of(NotificationType type, UUID sensorId, String message) {
        return new SystemEvent(type, type.defaultSeverity(), sensorId, type.defaultTitle(), message);
    }

    public SystemEvent withSeverity(Severity other) {
        return new SystemEvent(type, other, sensorId, title, message);
    }
}
