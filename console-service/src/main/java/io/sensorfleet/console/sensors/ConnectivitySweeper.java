package io.sensorfleet.console.sensors;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Marks sensors that stopped reporting as DISCONNECTED. Every instance runs it; the conditional
 * UPDATE makes each transition happen exactly once whatever the number of instances, and returns
 * the sensors that changed; their notifications are recorded in the same transaction, so once.
 */
@ApplicationScoped
public class ConnectivitySweeper {
    @Inject
    EntityManager em;
    @Inject
    HeartbeatConfig config;
    @Inject
    Clock clock;
    @Inject
    ConnectivityEvents events;

    @Scheduled(every = "${sensorfleet.heartbeat.sweep-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        sweep();
    }

    /** @return the sensors this call moved to DISCONNECTED */
    @Transactional
    @SuppressWarnings("unchecked")
    public List<UUID> sweep() {
        Instant now = clock.instant();
        List<UUID> disconnected = em.createNativeQuery("update sensors set connectivity = 'DISCONNECTED', connectivity_since = ?1 "
                        + "where connectivity <> 'DISCONNECTED' and last_seen < ?2 returning id", UUID.class)
                .setParameter(1, now)
                .setParameter(2, now.minus(config.disconnectAfter()))
                .getResultList();
        events.disconnected(disconnected);
        return disconnected;
    }
}
