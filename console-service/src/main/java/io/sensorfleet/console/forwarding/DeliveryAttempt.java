package io.sensorfleet.console.forwarding;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** One attempt to deliver an outbox message. */
@Entity
@Table(name = "forwarding_attempts")
public class DeliveryAttempt extends PanacheEntityBase {
    @Id
    public Long id;
    @Column(name = "outbox_id", nullable = false)
    public long outboxId;
    @Column(name = "attempted_at", nullable = false)
    public Instant attemptedAt;
    @Column(nullable = false)
    public boolean succeeded;
    @Column(nullable = false)
    public String outcome;
    @Column(name = "duration_ms", nullable = false)
    public int durationMs;
    @Column(nullable = false)
    public String instance;
}
