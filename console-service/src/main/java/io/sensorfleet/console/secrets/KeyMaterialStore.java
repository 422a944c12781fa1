package io.sensorfleet.console.secrets;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.time.Clock;
import java.util.function.Supplier;

/**
 * Creates a named key once for all instances and hands every instance the same one. The first
 * instance to start creates it; concurrent starters serialise on a PostgreSQL advisory lock, so
 * two instances starting together never create two CAs.
 */
@ApplicationScoped
public class KeyMaterialStore {
    /** What a generator returns: the public part in clear and the private part to be sealed. */
    public record Generated(String publicPem, byte[] privatePlain) {
    }

    /** What a caller gets back: the public part and the opened private part. */
    public record Opened(String publicPem, byte[] privatePlain) {
    }

    private final EntityManager em;
    private final SecretBox box;
    private final Clock clock;

    KeyMaterialStore(EntityManager em, SecretBox box, Clock clock) {
        this.em = em;
        this.box = box;
        this.clock = clock;
    }

    public Opened getOrCreate(String name, Supplier<Generated> generator) {
        KeyMaterial km = QuarkusTransaction.requiringNew().call(() -> {
            em.createNativeQuery("select pg_advisory_xact_lock(hashtext('key_material:' || ?1))")
                    .setParameter(1, name).getSingleResult();
            KeyMaterial existing = KeyMaterial.findById(name);
            if (existing != null) {
                return existing;
            }
            Generated g = generator.get();
            KeyMaterial created = new KeyMaterial();
            created.name = name;
            created.publicPem = g.publicPem();
            created.privateSealed = box.seal(g.privatePlain(), name);
            created.createdAt = clock.instant();
            created.persist();
            return created;
        });
        return new Opened(km.publicPem, box.open(km.privateSealed, name));
    }
}
