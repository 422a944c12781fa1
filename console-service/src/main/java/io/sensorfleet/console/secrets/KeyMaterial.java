package io.sensorfleet.console.secrets;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * A named key pair shared by every console instance through the database: the public part in
 * clear, the private part sealed by {@link SecretBox}.
 */
@Entity
@Table(name = "key_material")
public class KeyMaterial extends PanacheEntityBase {
    @Id
    public String name;
    @Column(name = "public_pem", nullable = false)
    public String publicPem;
    @Column(name = "private_sealed", nullable = false)
    public byte[] privateSealed;
    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
