package io.sensorfleet.console.forwarding;

import io.sensorfleet.console.notifications.NotificationCategory;
import io.sensorfleet.console.notifications.NotificationType;
import io.sensorfleet.console.notifications.NotificationView;
import io.sensorfleet.console.notifications.Severity;

import java.time.Instant;
import java.util.UUID;

/** Notifications to format in the plain unit tests. */
final class Notifications {
    static final UUID EVENT = UUID.fromString("6f1c1f2e-9a53-4c8e-b0a4-2d1f0e6b7a11");
    static final UUID SENSOR = UUID.fromString("0b8e7c1d-1111-4a2b-9c3d-5e6f7a8b9c0d");
    static final UUID ZONE = UUID.fromString("a1b2c3d4-2222-4e5f-8a9b-0c1d2e3f4a5b");
    static final Instant AT = Instant.parse("2026-03-01T09:15:30.250Z");

    private Notifications() {
    }

    static NotificationView disconnected() {
        return new NotificationView(EVENT, AT, NotificationCategory.SYSTEM, NotificationType.SENSOR_DISCONNECTED,
                Severity.MAJOR, "Sensor disconnected", "no heartbeat for more than 90 s", SENSOR, "substation-7",
                ZONE, "Turbine hall", null, null, null, null, null, null);
    }

    static NotificationView alert(Severity severity, String title, String source) {
        return new NotificationView(EVENT, AT, NotificationCategory.ALERT, NotificationType.SENSOR_ALERT, severity,
                title, null, SENSOR, "substation-7", ZONE, "Turbine hall", "a-42", "Policy Violation", "Modbus",
                source, "plc-3", null);
    }

    static final UUID SITE = UUID.fromString("a1b2c3d4-3333-4e5f-8a9b-0c1d2e3f4a5b");

    /** With the notification's site, Plant North. */
    static MessageContext sited(String zone) {
        return new MessageContext(java.time.ZoneId.of(zone), "console-1", "1.2.3", new SiteRef(SITE, "Plant North"));
    }

    static MessageContext context(String zone) {
        return new MessageContext(java.time.ZoneId.of(zone), "console-1", "1.2.3");
    }
}
