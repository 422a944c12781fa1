package io.sensorfleet.console.enrollment;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A connection string's one-time token. Only its SHA-256 is stored. */
@Entity
@Table(name = "enrollment_tokens")
public class EnrollmentToken extends PanacheEntityBase {
    @Id
    public UUID id;
    @Column(name = "token_hash", nullable = false, unique = true)
    public byte[] tokenHash;
    public String description;
    @Column(name = "zone_id")
    public UUID zoneId;
    @Column(name = "created_by", nullable = false)
    public String createdBy;
    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;
    @Column(name = "revoked_at")
    public Instant revokedAt;
    @Column(name = "used_at")
    public Instant usedAt;
    @Column(name = "used_by_sensor")
    public UUID usedBySensor;

    public TokenStatus status(Instant now) {
        if (usedAt != null) {
            return TokenStatus.USED;
        }
        if (revokedAt != null) {
            return TokenStatus.REVOKED;
        }
        return expiresAt.isAfter(now) ? TokenStatus.ACTIVE : TokenStatus.EXPIRED;
    }
}
