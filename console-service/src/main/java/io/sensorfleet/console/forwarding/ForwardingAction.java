package io.sensorfleet.console.forwarding;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.ColumnTransformer;

import java.util.UUID;

/** One destination of a rule. Its settings ({@link ActionSettings}) are stored as JSON. */
@Entity
@Table(name = "forwarding_actions")
public class ForwardingAction extends PanacheEntityBase {
    @Id
    public UUID id;
    @Column(name = "rule_id", nullable = false)
    public UUID ruleId;
    @Column(nullable = false)
    public int position;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public ActionKind kind;
    @ColumnTransformer(write = "?::jsonb")
    @Column(nullable = false)
    public String settings;
}
