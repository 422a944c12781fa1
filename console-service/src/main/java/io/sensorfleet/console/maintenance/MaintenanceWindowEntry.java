package io.sensorfleet.console.maintenance;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** One line of a window's history: who opened, extended or closed it, and until when it ran then. */
@Entity
@Table(name = "maintenance_window_log")
public class MaintenanceWindowEntry extends PanacheEntityBase {
    public enum Action { OPENED, EXTENDED, CLOSED, EXPIRED }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "window_id", nullable = false)
    public UUID windowId;
    @Column(nullable = false)
    public Instant at;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Action action;
    @Column(nullable = false)
    public String actor;
    @Column(name = "ends_at", nullable = false)
    public Instant endsAt;
}
