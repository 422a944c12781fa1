package io.sensorfleet.console.history;

import io.agroal.api.AgroalDataSource;
import io.sensorfleet.console.platform.IsoInstants;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Each sensor's quarter hours: clock offset, round trip and worst health of the heartbeats written
 * in them. One upsert per heartbeat flush, in the flush's transaction and for the sensors whose rows
 * it holds (so none of them can be deleted meanwhile); a quarter hour's row merges the heartbeats of
 * that quarter hour, so a sensor has at most 96 rows a day.
 */
@ApplicationScoped
public class SensorHistory {
    /** The width of one row of a sensor's history. */
    public static final Duration BUCKET = Duration.ofMinutes(15);

    /** One written heartbeat: when the console received it, the clock offset, the round trip (null if none), the health. */
    public record Sample(UUID sensorId, Instant receivedAt, long clockOffsetMs, Long roundTripMs, String health) {
    }

    private static final String UPSERT = "insert into sensor_history as h (sensor_id, bucket, heartbeats, offset_min_ms, "
            + "offset_max_ms, offset_sum_ms, rtt_samples, rtt_min_ms, rtt_max_ms, rtt_sum_ms, worst_health) "
            + "select v.id, v.bucket, 1, v.off, v.off, v.off, case when v.rtt is null then 0 else 1 end, v.rtt, v.rtt, v.rtt, "
            + "v.health from unnest(?::uuid[], ?::timestamptz[], ?::int8[], ?::int4[], ?::int2[]) "
            + "as v(id, bucket, off, rtt, health) "
            + "on conflict (sensor_id, bucket) do update set heartbeats = h.heartbeats + 1, "
            + "offset_min_ms = least(h.offset_min_ms, excluded.offset_min_ms), "
            + "offset_max_ms = greatest(h.offset_max_ms, excluded.offset_max_ms), "
            + "offset_sum_ms = h.offset_sum_ms + excluded.offset_sum_ms, "
            + "rtt_samples = h.rtt_samples + excluded.rtt_samples, "
            // least/greatest ignore nulls; a sum stays null until the first round trip.
            + "rtt_min_ms = least(h.rtt_min_ms, excluded.rtt_min_ms), rtt_max_ms = greatest(h.rtt_max_ms, excluded.rtt_max_ms), "
            + "rtt_sum_ms = case when excluded.rtt_sum_ms is null then h.rtt_sum_ms "
            + "else coalesce(h.rtt_sum_ms, 0) + excluded.rtt_sum_ms end, "
            + "worst_health = greatest(h.worst_health, excluded.worst_health)";

    private final AgroalDataSource dataSource;

    SensorHistory(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Must run in the transaction that holds these sensors' rows (the heartbeat flush); at most one sample a sensor. */
    public void record(List<Sample> samples) throws SQLException {
        if (samples.isEmpty()) {
            return;
        }
        int n = samples.size();
        String[] ids = new String[n];
        String[] buckets = new String[n];
        Long[] offsets = new Long[n];
        Integer[] rtts = new Integer[n];
        Short[] health = new Short[n];
        for (int i = 0; i < n; i++) {
            Sample s = samples.get(i);
            ids[i] = s.sensorId().toString();
            buckets[i] = IsoInstants.format(bucket(s.receivedAt()));
            offsets[i] = s.clockOffsetMs();
            rtts[i] = s.roundTripMs() == null ? null : Math.toIntExact(s.roundTripMs());
            health[i] = level(s.health());
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(UPSERT)) {
            ps.setArray(1, c.createArrayOf("text", ids));
            ps.setArray(2, c.createArrayOf("text", buckets));
            ps.setArray(3, c.createArrayOf("int8", offsets));
            ps.setArray(4, c.createArrayOf("int4", rtts));
            ps.setArray(5, c.createArrayOf("int2", health));
            ps.executeUpdate();
        }
    }

    /** The start of the quarter hour {@code at} falls in. */
    public static Instant bucket(Instant at) {
        long seconds = BUCKET.toSeconds();
        return Instant.ofEpochSecond(Math.floorDiv(at.getEpochSecond(), seconds) * seconds);
    }

    /** 0 OK, 1 DEGRADED, 2 FAILED: the order in which the worst of a quarter hour is kept. */
    static short level(String health) {
        return switch (health == null ? "OK" : health) {
            case "FAILED" -> 2;
            case "DEGRADED" -> 1;
            default -> 0;
        };
    }
}
