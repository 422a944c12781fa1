package io.sensorfleet.console.notifications;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A recorded notification, read by the API; {@link SystemEvents} writes them. */
@Entity
@Table(name = "notifications")
public class Notification extends PanacheEntityBase {
    @Id
    public UUID id;
    @Column(name = "occurred_at", nullable = false)
    public Instant occurredAt;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public NotificationCategory category;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public NotificationType type;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Severity severity;
    @Column(nullable = false)
    public String title;
    public String message;
    @Column(name = "sensor_id")
    public UUID sensorId;
    @Column(name = "sensor_name")
    public String sensorName;
    @Column(name = "zone_id")
    public UUID zoneId;
    @Column(name = "zone_name")
    public String zoneName;
    @Column(name = "alert_id")
    public String alertId;
    public String engine;
    public String protocol;
    public String source;
    public String destination;
    @Column(name = "suppressed_by")
    public String suppressedBy;

    NotificationView view() {
        return new NotificationView(id, occurredAt, category, type, severity, title, message, sensorId, sensorName,
                zoneId, zoneName, alertId, engine, protocol, source, destination, suppressedBy);
    }
}
