package io.sensorfleet.console.history;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sensorfleet.console.agentplane.AgentPlaneServer;
import io.sensorfleet.console.certificates.InternalCa;
import io.sensorfleet.console.common.Sql;
import io.sensorfleet.console.sensors.HeartbeatBuffer;
import io.sensorfleet.console.support.Api;
import io.sensorfleet.console.support.Browser;
import io.sensorfleet.console.support.PostgresTestResource;
import io.sensorfleet.console.support.TestClock;
import io.sensorfleet.console.support.TestSensor;
import io.sensorfleet.protocol.v1.enrollment.ConnectionString;
import io.sensorfleet.protocol.v1.heartbeat.Health;
import io.sensorfleet.protocol.v1.heartbeat.HeartbeatRequest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class SensorHistoryTest {
    @Inject
    AgentPlaneServer agentPlane;
    @Inject
    InternalCa ca;
    @Inject
    HeartbeatBuffer heartbeats;
    @Inject
    FleetHistory fleet;
    @Inject
    TestClock clock;
    @Inject
    EntityManager em;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private String console() {
        return "https://127.0.0.1:" + agentPlane.port();
    }

    private TestSensor enrolled() {
        TestSensor s = new TestSensor(console(), ca.certificatePem());
        assertEquals(200, s.enroll(ConnectionString.parse(Api.connectionString(Map.of())).token()).statusCode());
        return s;
    }

    /** Moves the clock five minutes into a quarter hour, so a test's heartbeats share one. */
    private void intoAQuarterHour() {
        Instant now = clock.instant();
        long into = Duration.between(SensorHistory.bucket(now), now).toSeconds();
        clock.advance(Duration.ofSeconds(Math.floorMod(300 - into, 900)));
    }

    private Sql.Row row(UUID sensor) {
        return Sql.row(em, "select heartbeats, rtt_samples, rtt_min_ms, rtt_max_ms, rtt_sum_ms, offset_min_ms, offset_max_ms, "
                + "worst_health from sensor_history where sensor_id = ?1", sensor);
    }

    private int send(TestSensor s, Duration sensorAhead, Long roundTrip, Health health) {
        return s.heartbeatTo(console(), new HeartbeatRequest(clock.instant().plus(sensorAhead), "1.0.0", health, null,
                roundTrip)).statusCode();
    }

    @Test
    void heartbeatsOfAQuarterHourMergeIntoOneRowWithTheirExtremesAndWorstHealth() {
        TestSensor s = enrolled();
        UUID id = UUID.fromString(s.identity().sensorId());
        // After enrolling: a certificate issued at a moved clock would not be valid yet for TLS.
        intoAQuarterHour();

        assertEquals(200, send(s, Duration.ofSeconds(-3), null, Health.ok()));
        heartbeats.flush();
        Sql.Row first = row(id);
        assertEquals(1, first.longValue(0));
        assertEquals(0, first.longValue(1), "an agent that reports no round trip");
        assertNull(first.nullableLong(2));

        clock.advance(Duration.ofSeconds(30));
        assertEquals(200, send(s, Duration.ofSeconds(2), 40L,
                new Health(Health.Status.DEGRADED, "disk 91 % full")));
        heartbeats.flush();
        clock.advance(Duration.ofSeconds(30));
        assertEquals(200, send(s, Duration.ZERO, 60L, Health.ok()));
        heartbeats.flush();

        Sql.Row r = row(id);
        assertEquals(3, r.longValue(0), "one row for the quarter hour");
        assertEquals(2, r.longValue(1));
        assertEquals(40, r.longValue(2));
        assertEquals(60, r.longValue(3));
        assertEquals(100, r.longValue(4));
        assertTrue(r.longValue(5) <= -2500 && r.longValue(6) >= 1500, "offsets " + r.longValue(5) + " to " + r.longValue(6));
        assertEquals(1, r.longValue(7), "the worst health of the quarter hour: DEGRADED");

        String page = Browser.admin().get().get("/ui/sensors/" + id).then().statusCode(200).extract().asString();
        assertTrue(page.contains("Heartbeat round trip, 24h") && page.contains("Clock offset, 24h")
                && page.contains("Health, 24h"), "the three charts");
        assertTrue(page.contains("Highest 60 ms") && page.contains("Lowest 40 ms") && page.contains("Average 50 ms"),
                "the round trip labelled at its latest values");
        assertTrue(page.contains("DEGRADED 1"), "the health chart's legend counts the degraded quarter hour");
        Browser.admin().get().get("/ui/sensors/" + id + "?range=7d").then().statusCode(200)
                .body(containsString("Heartbeat round trip, 7d"), containsString("last 24 hours"));
        Browser.admin().get().get("/ui/sensors/" + id + "?range=1y").then().statusCode(400)
                .body(containsString("range: 24h or 7d"));
    }

    @Test
    void aRoundTripOutOfRangeIsRefusedAndNothingIsRecorded() {
        TestSensor s = enrolled();
        UUID id = UUID.fromString(s.identity().sensorId());

        assertEquals(400, send(s, Duration.ZERO, -1L, Health.ok()));
        assertEquals(400, send(s, Duration.ZERO, HeartbeatRequest.MAX_ROUND_TRIP_MS + 1, Health.ok()));
        heartbeats.flush();

        assertNull(row(id));
    }

    @Test
    void aSensorsHistoryIsPrunedAfterItsRetentionByTheClock() {
        TestSensor s = enrolled();
        UUID id = UUID.fromString(s.identity().sensorId());
        assertEquals(200, send(s, Duration.ZERO, 12L, Health.ok()));
        heartbeats.flush();

        clock.advance(Duration.ofDays(6));
        fleet.prune();
        assertEquals(1, row(id).longValue(0), "kept for 7 days");

        clock.advance(Duration.ofDays(1).plusMinutes(16));
        fleet.prune();
        assertNull(row(id));
    }
}
