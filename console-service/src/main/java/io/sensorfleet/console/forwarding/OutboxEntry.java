package io.sensorfleet.console.forwarding;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** An outbox row as the API reads it; the workers use {@link Outbox} directly. */
@Entity
@Table(name = "forwarding_outbox")
public class OutboxEntry extends PanacheEntityBase {
    @Id
    public Long id;
    @Column(name = "notification_id", nullable = false)
    public UUID notificationId;
    @Column(name = "rule_id", nullable = false)
    public UUID ruleId;
    @Column(name = "action_id", nullable = false)
    public UUID actionId;
    @Column(nullable = false)
    public String state;
    @Column(nullable = false)
    public int attempts;
    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
    @Column(name = "next_attempt_at", nullable = false)
    public Instant nextAttemptAt;
    public UUID claim;
    @Column(name = "last_attempt_at")
    public Instant lastAttemptAt;
    @Column(name = "last_error")
    public String lastError;
    @Column(name = "delivered_at")
    public Instant deliveredAt;
}
