package io.sensorfleet.console.sensors;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.sensorfleet.console.common.FlushBuffer;
import io.sensorfleet.console.health.SensorHealthRecorder;
import io.sensorfleet.console.history.SensorHistory;
import io.sensorfleet.console.platform.IsoInstants;
import io.sensorfleet.protocol.v1.heartbeat.Health;
import io.sensorfleet.protocol.v1.heartbeat.HeartbeatRequest;
import io.sensorfleet.protocol.v1.heartbeat.HealthCheck;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Collects heartbeats in memory and writes them in one statement per flush (default every
 * second), so 50,000 sensors at a 30 s interval cost about one UPDATE of ~1,700 rows a second
 * instead of 1,700 transactions. The same transaction records the notifications of the state changes
 * it made (reconnected, clock drift), and the health of the sensors written, where it changed
 * (a second statement, only rows whose health differs, and health notifications), and each written sensor's
 * quarter-hour history (a third statement, one upsert for the batch). Only the newest heartbeat per sensor is kept between flushes; a
 * failed flush puts its batch back, and rows locked by another transaction are put back to be
 * written next time, so nothing is lost. Several instances may flush the same sensor: the
 * {@code last_seen <= seen} guard keeps the newest.
 */
@ApplicationScoped
public class HeartbeatBuffer {
    private static final Logger LOG = Logger.getLogger(HeartbeatBuffer.class);

    /** One sensor's latest heartbeat as received. */
    public record Received(UUID sensorId, Instant receivedAt, long clockOffsetMs, String version,
                           String healthStatus, String healthDetail, String activationFileId, String activationMode,
                           Instant activationExpiresAt, List<HealthCheck> healthChecks, Long roundTripMs) {
    }

    private static final String STATE = ConnectivityRule.onHeartbeat("v.off");
    /*
     * One statement per flush. The previous state is read with FOR UPDATE, so a disconnect the
     * sweeper commits meanwhile is seen and its reconnect is not missed; rows another transaction
     * holds (the sweeper, another instance's flush) are skipped and come back in the last column,
     * to be written at the next flush: the flush never waits for a lock, so it cannot be one side
     * of a deadlock (the benchmarks ran into exactly that). Sensors deleted meanwhile are neither
     * written nor skipped: their heartbeats are dropped.
     */
    private static final String FLUSH_SQL = "with v as (select * from unnest(?::uuid[], ?::timestamptz[], ?::int8[], "
            + "?::text[], ?::text[], ?::text[], ?::uuid[], ?::text[], ?::timestamptz[]) "
            + "as v(id, seen, off, ver, hs, hd, afid, amode, aexp)), "
            + "p as (select id, connectivity from sensors where id in (select id from v) order by id for update skip locked), "
            + "u as (update sensors s set last_seen = v.seen, clock_offset_ms = v.off, "
            + "software_version = v.ver, health_status = v.hs, health_detail = v.hd, "
            // The activation file the sensor runs with, and the name it carries when the console issued it.
            + "activation_file_id = coalesce(v.afid, s.activation_file_id), "
            + "activation_mode = coalesce(v.amode, s.activation_mode), "
            + "activation_expires_at = case when v.afid is null then s.activation_expires_at else v.aexp end, "
            + "name = coalesce((select af.sensor_name from activation_files af where af.id = v.afid "
            + "and af.sensor_id = s.id), s.name), "
            + "connectivity_since = " + ConnectivityRule.since("s.connectivity", STATE, "s.connectivity_since", "v.seen") + ", "
            + "connectivity = " + STATE + " "
            + "from v, p where s.id = v.id and p.id = v.id and s.last_seen <= v.seen "
            + "returning s.id, p.connectivity as before, s.connectivity as after, v.off) "
            + "select count(*), array_agg(id::text) filter (where before <> after), "
            + "array_agg(before) filter (where before <> after), array_agg(after) filter (where before <> after), "
            + "array_agg(off) filter (where before <> after), "
            + "array(select s.id::text from sensors s where s.id in (select id from v) except select id::text from p), "
            + "array_agg(id::text) "
            + "from u";

    private final FlushBuffer<UUID, Received> pending = new FlushBuffer<>(HeartbeatBuffer::newer);

    private final Counter received;
    private final Counter written;
    private final Counter deferred;
    private final Timer flushTime;

    private final AgroalDataSource dataSource;
    private final HeartbeatConfig config;
    private final ConnectivityEvents events;
    private final SensorHealthRecorder health;
    private final WriteOutage outage;
    private final SensorHistory history;

    HeartbeatBuffer(MeterRegistry registry, AgroalDataSource dataSource, HeartbeatConfig config,
                    ConnectivityEvents events, SensorHealthRecorder health, WriteOutage outage, SensorHistory history) {
        this.outage = outage;
        this.history = history;
        this.dataSource = dataSource;
        this.config = config;
        this.events = events;
        this.health = health;
        received = Counter.builder("sensorfleet.heartbeats.received").description("heartbeats accepted on the agent plane")
                .register(registry);
        written = Counter.builder("sensorfleet.heartbeats.written").description("sensor rows updated by heartbeat flushes")
                .register(registry);
        deferred = Counter.builder("sensorfleet.heartbeats.deferred")
                .description("heartbeats put back for the next flush because another transaction held the sensor's row")
                .register(registry);
        flushTime = Timer.builder("sensorfleet.heartbeats.flush").description("time to write one batch of heartbeats")
                .register(registry);
        Gauge.builder("sensorfleet.heartbeats.pending", this, HeartbeatBuffer::pendingCount)
                .description("heartbeats waiting for the next flush").register(registry);
    }

    /** Called on the event loop for every heartbeat: no I/O. */
    public void record(UUID sensorId, HeartbeatRequest hb, Instant receivedAt) {
        long offset = Duration.between(receivedAt, hb.sentAt()).toMillis();
        var a = hb.activation();
        Received r = new Received(sensorId, receivedAt, offset, hb.softwareVersion(), hb.health().status().name(),
                hb.health().detail(), a == null ? null : a.fileId(), a == null ? null : a.mode(),
                a == null ? null : a.expiresAt(), hb.health().checks(), hb.roundTripMs());
        pending.put(sensorId, r);
        received.increment();
    }

    public int pendingCount() {
        return pending.size();
    }

    @Scheduled(every = "${sensorfleet.heartbeat.flush-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void flush() {
        Map<UUID, Received> batch = pending.take();
        if (batch.isEmpty()) {
            return;
        }
        outage.flushing();
        try {
            long start = System.nanoTime();
            // One transaction: the notifications of the transitions commit with the states they report.
            Result result = QuarkusTransaction.requiringNew().call(() -> write(new ArrayList<>(batch.values())));
            written.increment(result.written());
            for (UUID id : result.skipped()) {
                pending.putBack(id, batch.get(id));
            }
            deferred.increment(result.skipped().size());
            flushTime.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
            outage.failed();
            LOG.warnf("writing %d heartbeats failed, keeping them for the next flush: %s", batch.size(), e.getMessage());
            batch.values().forEach(r -> pending.putBack(r.sensorId(), r));
        } finally {
            outage.flushed();
        }
    }

    /** Rows written, and sensors whose rows were locked by another transaction. */
    private record Result(long written, List<UUID> skipped) {
    }

    void onStop(@Observes ShutdownEvent ev) {
        flush();
    }

    private Result write(List<Received> rows) throws SQLException {
        // A stable order makes two instances flushing overlapping sensors lock rows in the same order.
        rows.sort(Comparator.comparing(Received::sensorId));
        int n = rows.size();
        String[] ids = new String[n];
        String[] seen = new String[n];
        Long[] offsets = new Long[n];
        String[] versions = new String[n];
        String[] statuses = new String[n];
        String[] details = new String[n];
        String[] activationIds = new String[n];
        String[] activationModes = new String[n];
        String[] activationExpiries = new String[n];
        for (int i = 0; i < n; i++) {
            Received r = rows.get(i);
            ids[i] = r.sensorId().toString();
            seen[i] = IsoInstants.format(r.receivedAt());
            offsets[i] = r.clockOffsetMs();
            versions[i] = r.version();
            statuses[i] = r.healthStatus();
            details[i] = r.healthDetail();
            activationIds[i] = r.activationFileId();
            activationModes[i] = r.activationMode();
            activationExpiries[i] = r.activationExpiresAt() == null ? null : r.activationExpiresAt().toString();
        }
        long maxOffset = config.maxClockOffset().toMillis();
        Result result;
        List<ConnectivityEvents.Transition> changed;
        List<SensorHealthRecorder.Reported> reported = new ArrayList<>();
        List<SensorHistory.Sample> samples = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(FLUSH_SQL)) {
            ps.setArray(1, c.createArrayOf("text", ids));
            ps.setArray(2, c.createArrayOf("text", seen));
            Array off = c.createArrayOf("int8", offsets);
            ps.setArray(3, off);
            ps.setArray(4, c.createArrayOf("text", versions));
            ps.setArray(5, c.createArrayOf("text", statuses));
            ps.setArray(6, c.createArrayOf("text", details));
            ps.setArray(7, c.createArrayOf("text", activationIds));
            ps.setArray(8, c.createArrayOf("text", activationModes));
            ps.setArray(9, c.createArrayOf("text", activationExpiries));
            ps.setLong(10, maxOffset);
            ps.setLong(11, maxOffset);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                changed = transitions(rs);
                List<UUID> skipped = new ArrayList<>();
                for (String id : (String[]) rs.getArray(6).getArray()) {
                    skipped.add(UUID.fromString(id));
                }
                result = new Result(rs.getLong(1), skipped);
                java.sql.Array writtenIds = rs.getArray(7);
                if (writtenIds != null) {
                    Map<UUID, Received> byId = new java.util.HashMap<>();
                    rows.forEach(r -> byId.put(r.sensorId(), r));
                    for (String id : (String[]) writtenIds.getArray()) {
                        Received r = byId.get(UUID.fromString(id));
                        reported.add(new SensorHealthRecorder.Reported(r.sensorId(), r.receivedAt(),
                                new Health(Health.Status.valueOf(r.healthStatus()), r.healthDetail(), r.healthChecks())));
                        samples.add(new SensorHistory.Sample(r.sensorId(), r.receivedAt(), r.clockOffsetMs(),
                                r.roundTripMs(), r.healthStatus()));
                    }
                }
            }
        }
        events.changed(changed);
        // Still holding the rows written: each health transition is seen here, once across instances.
        health.record(reported);
        // The charts' history of the same sensors, in the same transaction: one upsert per flush.
        history.record(samples);
        return result;
    }

    private static List<ConnectivityEvents.Transition> transitions(ResultSet rs) throws SQLException {
        if (rs.getArray(2) == null) {
            return List.of();
        }
        String[] ids = (String[]) rs.getArray(2).getArray();
        String[] before = (String[]) rs.getArray(3).getArray();
        String[] after = (String[]) rs.getArray(4).getArray();
        Long[] offsets = (Long[]) rs.getArray(5).getArray();
        List<ConnectivityEvents.Transition> list = new ArrayList<>(ids.length);
        for (int i = 0; i < ids.length; i++) {
            list.add(new ConnectivityEvents.Transition(UUID.fromString(ids[i]), Connectivity.valueOf(before[i]),
                    Connectivity.valueOf(after[i]), offsets[i]));
        }
        return list;
    }

    private static Received newer(Received a, Received b) {
        return b.receivedAt().isAfter(a.receivedAt()) ? b : a;
    }
}
