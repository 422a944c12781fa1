package io.sensorfleet.console.forwarding;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.sensorfleet.console.notifications.Severity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A forwarding rule: which notifications, and (in {@link ForwardingAction}) where to. Empty filters match any. */
@Entity
@Table(name = "forwarding_rules")
public class ForwardingRule extends PanacheEntityBase {
    @Id
    public UUID id;
    @Column(nullable = false)
    public String name;
    @Column(nullable = false)
    public boolean enabled;
    @Enumerated(EnumType.STRING)
    @Column(name = "min_severity", nullable = false)
    public Severity minSeverity;
    @Column(name = "report_system_notifications", nullable = false)
    public boolean reportSystemNotifications;
    @Column(name = "report_alerts", nullable = false)
    public boolean reportAlerts;
    @Column(nullable = false)
    public String[] protocols;
    @Column(nullable = false)
    public String[] engines;
    @Column(name = "zone_ids", nullable = false)
    public UUID[] zoneIds;
    @Column(name = "sensor_ids", nullable = false)
    public UUID[] sensorIds;
    @Column(name = "site_ids", nullable = false)
    public UUID[] siteIds;
    /** "key=value" or "key" (the sensor has the key); all must hold. */
    @Column(nullable = false)
    public String[] labels;
    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
