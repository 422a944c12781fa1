package io.sensorfleet.console.audit;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

@Entity
@Table(name = "audit_log")
public class AuditEntry extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(nullable = false)
    public Instant at;
    @Column(nullable = false)
    public String actor;
    @Column(name = "actor_role")
    public String actorRole;
    @Column(nullable = false)
    public String action;
    public String method;
    public String path;
    public String target;
    @Column(nullable = false)
    public int result;
    public String detail;
    @Column(name = "source_address")
    public String sourceAddress;
}
