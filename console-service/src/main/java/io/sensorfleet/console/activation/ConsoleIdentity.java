package io.sensorfleet.console.activation;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.time.Clock;
import java.util.UUID;

/** The console's own id (one for all instances sharing the database), written into activation files. */
@ApplicationScoped
public class ConsoleIdentity {
    private final EntityManager em;
    private final Clock clock;

    ConsoleIdentity(EntityManager em, Clock clock) {
        this.em = em;
        this.clock = clock;
    }

    private volatile UUID id;

    public UUID id() {
        if (id == null) {
            id = QuarkusTransaction.requiringNew().call(() -> {
                em.createNativeQuery("insert into console_identity (id, console_id, created_at) values (1, ?1, ?2) "
                        + "on conflict (id) do nothing").setParameter(1, UUID.randomUUID())
                        .setParameter(2, clock.instant()).executeUpdate();
                return (UUID) em.createNativeQuery("select console_id from console_identity where id = 1").getSingleResult();
            });
        }
        return id;
    }
}
