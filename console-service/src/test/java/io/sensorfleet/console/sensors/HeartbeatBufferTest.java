package io.sensorfleet.console.sensors;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sensorfleet.console.agentplane.AgentPlaneServer;
import io.sensorfleet.console.certificates.InternalCa;
import io.sensorfleet.console.support.Api;
import io.sensorfleet.console.support.PostgresTestResource;
import io.sensorfleet.console.support.TestSensor;
import io.sensorfleet.protocol.v1.enrollment.ConnectionString;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class HeartbeatBufferTest {
    @Inject
    AgentPlaneServer agentPlane;
    @Inject
    InternalCa ca;
    @Inject
    HeartbeatBuffer heartbeats;
    @Inject
    AgroalDataSource dataSource;

    private UUID enrolledAndReported() {
        TestSensor s = new TestSensor("https://127.0.0.1:" + agentPlane.port(), ca.certificatePem());
        assertEquals(200, s.enroll(ConnectionString.parse(Api.connectionString(Map.of())).token()).statusCode());
        heartbeats.flush();
        assertEquals(200, s.heartbeat(Instant.now()).statusCode());
        return UUID.fromString(s.identity().sensorId());
    }

    private Instant lastSeen(UUID id) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select last_seen from sensors where id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getTimestamp(1).toInstant();
            }
        }
    }

    /**
     * At 100,000 sensors every heartbeat flush rewrote thousands of rows in all thirteen indexes of
     * the table (an index held last_seen), and the flushes fell tens of seconds behind. A heartbeat
     * must be a HOT update: no index on what it rewrites each time, and room on the page.
     */
    @Test
    void aHeartbeatRewritesTheSensorRowWithoutTouchingAnyIndex() throws Exception {
        for (String index : strings("select indexdef from pg_indexes where tablename = 'sensors'")) {
            for (String column : new String[] {"last_seen", "clock_offset_ms", "health_detail", "connectivity_since"}) {
                assertFalse(index.contains(column), "a heartbeat rewrites " + column + " each time: " + index);
            }
        }
        assertEquals("[fillfactor=70]", strings("select reloptions::text from pg_class where relname = 'sensors'").toString()
                .replace("{", "").replace("}", ""));

        TestSensor s = new TestSensor("https://127.0.0.1:" + agentPlane.port(), ca.certificatePem());
        assertEquals(200, s.enroll(ConnectionString.parse(Api.connectionString(Map.of())).token()).statusCode());
        heartbeats.flush();
        long hotBefore = hotUpdatesOfSensors();
        for (int i = 0; i < 5; i++) {
            assertEquals(200, s.heartbeat(Instant.now()).statusCode());
            heartbeats.flush();
        }
        // The statistics reach pg_stat_user_tables shortly after each transaction, not at once.
        await().atMost(Duration.ofSeconds(15)).until(() -> hotUpdatesOfSensors() >= hotBefore + 4);
    }

    private long hotUpdatesOfSensors() throws Exception {
        return Long.parseLong(strings("select n_tup_hot_upd from pg_stat_user_tables where relname = 'sensors'").getFirst());
    }

    private java.util.List<String> strings(String sql) throws Exception {
        java.util.List<String> values = new java.util.ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    @Test
    void aRowLockedByAnotherTransactionIsNotWaitedForButWrittenAtTheNextFlush() throws Exception {
        UUID id = enrolledAndReported();
        Instant before = lastSeen(id);
        try (Connection other = dataSource.getConnection()) {
            other.setAutoCommit(false);
            try (PreparedStatement lock = other.prepareStatement("select id from sensors where id = ? for update")) {
                lock.setObject(1, id);
                lock.executeQuery().close();
            }

            // Bounded: a flush that waited for the lock would hang here instead of failing the test.
            CompletableFuture.runAsync(heartbeats::flush).get(10, TimeUnit.SECONDS);

            assertEquals(before, lastSeen(id), "the locked row is left alone");
            other.rollback();
        }

        // The scheduled flush may be the one that writes it: either way it must arrive.
        heartbeats.flush();
        await().atMost(Duration.ofSeconds(5)).until(() -> lastSeen(id).isAfter(before));
    }

    @Test
    void aHeartbeatOfADeletedSensorIsDroppedNotRetriedForever() throws Exception {
        UUID id = enrolledAndReported();
        Api.asAdmin().delete("/api/v1/sensors/" + id).then().statusCode(204);

        heartbeats.flush();

        assertEquals(0, heartbeats.pendingCount());
    }

}
