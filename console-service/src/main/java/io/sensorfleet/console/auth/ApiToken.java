package io.sensorfleet.console.auth;

import io.sensorfleet.console.platform.Role;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** An API access token for scripts. The secret itself is never stored: it is a signed token naming this row. */
@Entity
@Table(name = "api_tokens")
public class ApiToken extends PanacheEntityBase {
    @Id
    public UUID id;
    @Column(nullable = false)
    public String description;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Role role;
    @Column(name = "created_by", nullable = false)
    public String createdBy;
    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;
    @Column(name = "revoked_at")
    public Instant revokedAt;
    @Column(name = "last_used_at")
    public Instant lastUsedAt;
}
