package io.sensorfleet.console.forwarding;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** Running delivery totals of one action, written by {@link Outbox#complete}. */
@Entity
@Table(name = "forwarding_action_stats")
public class ActionStats extends PanacheEntityBase {
    @Id
    @Column(name = "action_id")
    public UUID actionId;
    @Column(nullable = false)
    public long delivered;
    @Column(name = "failed_attempts", nullable = false)
    public long failedAttempts;
    @Column(name = "last_delivered_at")
    public Instant lastDeliveredAt;
    @Column(name = "last_failure_at")
    public Instant lastFailureAt;
    @Column(name = "last_error")
    public String lastError;
}
