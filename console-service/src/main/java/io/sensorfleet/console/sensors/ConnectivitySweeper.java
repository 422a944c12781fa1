package io.sensorfleet.console.sensors;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Marks sensors that stopped reporting as DISCONNECTED. Every instance runs it; the conditional
 * UPDATE makes each transition happen exactly once whatever the number of instances, and returns
 * the sensors that changed; their notifications are recorded in the same transaction, so once.
 * <p>
 * After this instance failed to reach the database, the sweep waits a whole disconnect period
 * ({@link WriteOutage}): the heartbeats answered during the outage are written first, so an outage
 * marks no sensor DISCONNECTED by itself.
 * <p>
 * Sensors are taken {@value #BATCH} at a time, each batch in its own transaction. The cost of one
 * transaction grows with the sensors it disconnects times the forwarding actions that match them
 * (one outbox row each): a whole site going dark in a single transaction (15,000 sensors and two
 * matching actions took several seconds on a loaded machine) can outlast the transaction timeout,
 * and a sweep that rolls back is retried with the same set, so the outage would never be recorded.
 * Rows another transaction holds are skipped, not waited for: a heartbeat flush is writing them
 * (the sensor is alive) or another instance's sweep is disconnecting them.
 */
@ApplicationScoped
public class ConnectivitySweeper {
    static final int BATCH = 1000;
    private static final String DISCONNECT = "update sensors set connectivity = 'DISCONNECTED', connectivity_since = ?1 "
            + "where id in (select id from sensors where connectivity <> 'DISCONNECTED' and last_seen < ?2 "
            + "order by id limit ?3 for update skip locked) returning id";

    @Inject
    EntityManager em;
    @Inject
    HeartbeatConfig config;
    @Inject
    Clock clock;
    @Inject
    ConnectivityEvents events;
    @Inject
    WriteOutage outage;

    @Scheduled(every = "${sensorfleet.heartbeat.sweep-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        sweep();
    }

    /** @return the sensors this call moved to DISCONNECTED */
    public List<UUID> sweep() {
        if (!outage.quietFor(config.disconnectAfter())) {
            return List.of();
        }
        try {
            return sweepNow();
        } catch (RuntimeException e) {
            outage.failed();
            throw e;
        }
    }

    private List<UUID> sweepNow() {
        Instant now = clock.instant();
        Instant silentBefore = now.minus(config.disconnectAfter());
        List<UUID> all = new ArrayList<>();
        List<UUID> batch;
        do {
            batch = QuarkusTransaction.requiringNew().call(() -> disconnect(now, silentBefore));
            all.addAll(batch);
        } while (batch.size() == BATCH);
        return all;
    }

    @SuppressWarnings("unchecked")
    private List<UUID> disconnect(Instant now, Instant silentBefore) {
        List<UUID> disconnected = em.createNativeQuery(DISCONNECT, UUID.class)
                .setParameter(1, now)
                .setParameter(2, silentBefore)
                .setParameter(3, BATCH)
                .getResultList();
        events.disconnected(disconnected);
        return disconnected;
    }
}
