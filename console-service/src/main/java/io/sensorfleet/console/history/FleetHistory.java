package io.sensorfleet.console.history;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The fleet's per-minute roll-up, and the pruning of all history. Every instance runs both; the
 * database decides: a minute is one row (its primary key), so of several instances the first one to
 * insert it writes it and the others find it there and do nothing; pruning deletes by age and skips
 * rows another instance is deleting.
 * <p>
 * A minute costs one look-up by primary key, and, for the instance that writes it, one aggregate over
 * the sensors (with their health): one sequential pass, measured by {@code FleetHistoryTest} at
 * 100,000 sensors.
 */
@ApplicationScoped
public class FleetHistory {
    private static final Logger LOG = Logger.getLogger(FleetHistory.class);
    /** Rows of sensor history per delete: bounded transactions when a whole day of a large fleet ages out. */
    static final int PRUNE_BATCH = 10_000;
    private static final String ROLL_UP = "insert into fleet_history (minute, total, synced, out_of_sync, "
            + "time_diff_offset, disconnected, health_ok, health_degraded, health_failed, health_unknown) "
            + "select ?1, count(*), count(*) filter (where s.connectivity = 'SYNCED'), "
            + "count(*) filter (where s.connectivity = 'OUT_OF_SYNC'), "
            + "count(*) filter (where s.connectivity = 'TIME_DIFF_OFFSET'), "
            + "count(*) filter (where s.connectivity = 'DISCONNECTED'), "
            + "count(*) filter (where h.status = 'OK'), count(*) filter (where h.status = 'DEGRADED'), "
            + "count(*) filter (where h.status = 'FAILED'), count(*) filter (where h.status is null) "
            + "from sensors s left join sensor_health h on h.sensor_id = s.id "
            // Another instance may have written the minute since the look-up: it keeps its row.
            + "on conflict (minute) do nothing";

    private final EntityManager em;
    private final HistoryConfig config;
    private final Clock clock;

    FleetHistory(EntityManager em, HistoryConfig config, Clock clock) {
        this.em = em;
        this.config = config;
        this.clock = clock;
    }

    /** Writes the current minute unless an instance did; returns whether this call wrote it. */
    public boolean rollUp() {
        return rollUp(clock.instant());
    }

    /** Writes the minute {@code at} falls in unless an instance did; returns whether this call wrote it. */
    boolean rollUp(Instant at) {
        Instant minute = at.truncatedTo(ChronoUnit.MINUTES);
        return QuarkusTransaction.requiringNew().call(() -> {
            boolean written = !em.createNativeQuery("select 1 from fleet_history where minute = ?1")
                    .setParameter(1, minute).getResultList().isEmpty();
            if (written) {
                return false;
            }
            long start = System.nanoTime();
            int inserted = em.createNativeQuery(ROLL_UP).setParameter(1, minute).executeUpdate();
            LOG.debugf("fleet roll-up of %s %s in %d ms", minute, inserted == 1 ? "written" : "already written",
                    (System.nanoTime() - start) / 1_000_000);
            return inserted == 1;
        });
    }

    /** Deletes the fleet roll-up and the sensors' history past their retention; returns the rows deleted. */
    public long prune() {
        Instant now = clock.instant();
        long deleted = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                        "delete from fleet_history where minute < ?1")
                .setParameter(1, now.minus(config.fleetRetention())).executeUpdate());
        Instant before = now.minus(config.sensorRetention());
        int batch;
        do {
            batch = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                            "delete from sensor_history where (sensor_id, bucket) in (select sensor_id, bucket "
                                    + "from sensor_history where bucket < ?1 limit ?2 for update skip locked)")
                    .setParameter(1, before).setParameter(2, PRUNE_BATCH).executeUpdate());
            deleted += batch;
        } while (batch == PRUNE_BATCH);
        if (deleted > 0) {
            LOG.debugf("history pruned: %d rows", deleted);
        }
        return deleted;
    }
}
