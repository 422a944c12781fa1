package io.sensorfleet.console.sensors;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * A sensor in the inventory. {@code lastSeen}, {@code clockOffsetMs}, health and connectivity
 * are written in batches by {@link HeartbeatBuffer}, never one transaction per heartbeat.
 */
@Entity
@Table(name = "sensors")
public class Sensor extends PanacheEntityBase {
    @Id
    public UUID id;
    @Column(nullable = false)
    public String name;
    public String hostname;
    @Column(name = "zone_id")
    public UUID zoneId;
    @Column(name = "software_version", nullable = false)
    public String softwareVersion;
    @Column(name = "enrolled_at", nullable = false)
    public Instant enrolledAt;
    @Column(name = "enrolled_with_token", nullable = false)
    public UUID enrolledWithToken;
    @Column(name = "last_seen", nullable = false)
    public Instant lastSeen;
    @Column(name = "clock_offset_ms")
    public Long clockOffsetMs;
    @Column(name = "health_status")
    public String healthStatus;
    @Column(name = "health_detail")
    public String healthDetail;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Connectivity connectivity;
    @Column(name = "connectivity_since", nullable = false)
    public Instant connectivitySince;
    @Column(name = "desired_settings_revision", nullable = false)
    public long desiredSettingsRevision;
    @Column(name = "applied_settings_revision", nullable = false)
    public long appliedSettingsRevision;
    @Column(name = "certificate_serial", nullable = false)
    public BigDecimal certificateSerial;
    @Column(name = "certificate_not_after", nullable = false)
    public Instant certificateNotAfter;
    @Column(name = "activation_file_id")
    public UUID activationFileId;
    @Column(name = "activation_mode")
    public String activationMode;
    @Column(name = "activation_expires_at")
    public Instant activationExpiresAt;
    /** The stage of the sensor's latest update target; kept by a database trigger, so never written here. */
    @Column(name = "update_status", insertable = false, updatable = false)
    public String updateStatus;
    @Column(name = "update_status_at", insertable = false, updatable = false)
    public Instant updateStatusAt;
    /** When its latest stored backup was stored; kept by a database trigger, so never written here. */
    @Column(name = "last_backup_at", insertable = false, updatable = false)
    public Instant lastBackupAt;
}
