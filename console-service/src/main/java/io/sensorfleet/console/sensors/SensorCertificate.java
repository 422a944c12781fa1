package io.sensorfleet.console.sensors;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** A certificate the internal CA issued to a sensor; revoked ones are in the CRL. */
@Entity
@Table(name = "sensor_certificates")
public class SensorCertificate extends PanacheEntityBase {
    @Id
    public BigDecimal serial;
    @Column(name = "sensor_id", nullable = false)
    public UUID sensorId;
    @Column(nullable = false)
    public String fingerprint;
    @Column(name = "not_before", nullable = false)
    public Instant notBefore;
    @Column(name = "not_after", nullable = false)
    public Instant notAfter;
    @Column(name = "issued_at", nullable = false)
    public Instant issuedAt;
    @Column(name = "revoked_at")
    public Instant revokedAt;
    @Column(name = "revocation_reason")
    public String revocationReason;
}
