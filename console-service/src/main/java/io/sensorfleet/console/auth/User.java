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
import java.util.Optional;
import java.util.UUID;

@Entity
@Table(name = "users")
public class User extends PanacheEntityBase {
    @Id
    public UUID id;
    @Column(nullable = false, unique = true)
    public String username;
    @Column(name = "password_hash", nullable = false)
    public String passwordHash;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Role role;
    @Column(nullable = false)
    public boolean enabled;
    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
    @Column(name = "failed_logins", nullable = false)
    public int failedLogins;
    @Column(name = "locked_until")
    public Instant lockedUntil;
    /** Tokens issued before this instant are refused (set when the account is disabled or its password reset). */
    @Column(name = "tokens_valid_after")
    public Instant tokensValidAfter;
    /** Web console: IANA zone times are shown in; null for UTC. */
    @Column(name = "ui_time_zone")
    public String uiTimeZone;
    /** Web console: one of the catalogue's date formats; null for the first. */
    @Column(name = "ui_date_format")
    public String uiDateFormat;

    public static Optional<User> byUsername(String username) {
        return find("username", username).firstResultOptional();
    }
}
