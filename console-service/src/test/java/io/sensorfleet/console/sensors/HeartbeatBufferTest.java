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
