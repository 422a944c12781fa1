package io.sensorfleet.console.zones;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

@Entity
@Table(name = "zones")
public class Zone extends PanacheEntityBase {
    @Id
    public UUID id;
    @Column(nullable = false)
    public String name;
    public String description;
    @Column(name = "site_id")
    public UUID siteId;
    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
