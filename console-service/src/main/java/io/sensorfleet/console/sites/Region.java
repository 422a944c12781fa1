package io.sensorfleet.console.sites;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

@Entity
@Table(name = "regions")
public class Region extends PanacheEntityBase {
    @Id
    public UUID id;
    @Column(nullable = false)
    public String name;
    @Column(name = "business_unit_id", nullable = false)
    public UUID businessUnitId;
    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
