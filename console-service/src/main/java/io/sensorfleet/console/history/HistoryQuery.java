package io.sensorfleet.console.history;

import io.sensorfleet.console.common.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Reads the history in buckets of a chart's step: the fleet's averages, a sensor's extremes and averages. */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class HistoryQuery {
    /**
     * The fleet at the end of one bucket (its latest minute): sensors per connectivity state and per health.
     * The latest minute rather than an average: a bucket's average of a small fleet that changed in it is a
     * count no one ever saw.
     */
    public record FleetPoint(Instant at, long total, long synced, long outOfSync, long timeDiffOffset, long disconnected,
                             long healthOk, long healthDegraded, long healthFailed, long healthUnknown) {
    }

    /**
     * One sensor in one bucket. Offsets and round trips in milliseconds; the round-trip fields are null
     * when the sensor's agent reported none. {@code worstHealth}: 0 OK, 1 DEGRADED, 2 FAILED.
     */
    public record SensorPoint(Instant at, long heartbeats, long offsetMin, long offsetAvg, long offsetMax,
                              Long roundTripMin, Long roundTripAvg, Long roundTripMax, int worstHealth) {
    }

    private final EntityManager em;

    HistoryQuery(EntityManager em) {
        this.em = em;
    }

    /** The fleet from {@code from} to {@code to}, in buckets of {@code step} (a whole number of minutes). */
    public List<FleetPoint> fleet(Instant from, Instant to, Duration step) {
        return Sql.list(em, "select distinct on (b) to_timestamp(floor(extract(epoch from minute) / ?3) * ?3) as b, total, "
                        + "synced, out_of_sync, time_diff_offset, disconnected, health_ok, health_degraded, health_failed, "
                        + "health_unknown from fleet_history where minute >= ?1 and minute < ?2 order by b, minute desc",
                r -> new FleetPoint(r.instant(0), r.longValue(1), r.longValue(2), r.longValue(3), r.longValue(4),
                        r.longValue(5), r.longValue(6), r.longValue(7), r.longValue(8), r.longValue(9)),
                from, to, step.toSeconds());
    }

    /** One sensor from {@code from} to {@code to}, in buckets of {@code step} (a whole number of quarter hours). */
    public List<SensorPoint> sensor(UUID sensorId, Instant from, Instant to, Duration step) {
        return Sql.list(em, "select to_timestamp(floor(extract(epoch from bucket) / ?4) * ?4), sum(heartbeats), "
                        + "min(offset_min_ms), round(sum(offset_sum_ms)::numeric / sum(heartbeats)), max(offset_max_ms), "
                        + "min(rtt_min_ms), round(sum(rtt_sum_ms)::numeric / nullif(sum(rtt_samples), 0)), max(rtt_max_ms), "
                        + "max(worst_health) from sensor_history where sensor_id = ?1 and bucket >= ?2 and bucket < ?3 "
                        + "group by 1 order by 1",
                r -> new SensorPoint(r.instant(0), r.longValue(1), r.longValue(2), r.longValue(3), r.longValue(4),
                        r.nullableLong(5), r.nullableLong(6), r.nullableLong(7), r.intValue(8)),
                sensorId, from, to, step.toSeconds());
    }
}
