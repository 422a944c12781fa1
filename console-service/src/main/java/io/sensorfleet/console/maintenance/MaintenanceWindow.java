package io.sensorfleet.console.maintenance;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * A maintenance window. It is open while not closed and not past {@code endsAt}; a window that ran
 * out keeps {@code closedAt} empty until its ticket is used again (or it is listed), then it is
 * stamped as expired.
 */
@Entity
@Table(name = "maintenance_windows")
public class MaintenanceWindow extends PanacheEntityBase {
    @Id
    public UUID id;
    @Column(name = "ticket_id", nullable = false)
    public String ticketId;
    @Column(name = "sensor_ids", nullable = false)
    public UUID[] sensorIds;
    @Column(nullable = false)
    public String[] engines;
    @Column(name = "opened_at", nullable = false)
    public Instant openedAt;
    @Column(name = "opened_by", nullable = false)
    public String openedBy;
    @Column(name = "ends_at", nullable = false)
    public Instant endsAt;
    @Column(name = "closed_at")
    public Instant closedAt;
    @Column(name = "closed_by")
    public String closedBy;

    boolean isOpen(Instant now) {
        return closedAt == null && endsAt.isAfter(now);
    }
}
