package io.sensorfleet.console.sensors;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sensorfleet.console.agentplane.AgentPlaneServer;
import io.sensorfleet.console.agentplane.RevocationList;
import io.sensorfleet.console.certificates.InternalCa;
import io.sensorfleet.console.support.Api;
import io.sensorfleet.console.support.PostgresTestResource;
import io.sensorfleet.console.support.TestClock;
import io.sensorfleet.console.support.TestSensor;
import io.sensorfleet.protocol.v1.enrollment.ConnectionString;
import io.sensorfleet.protocol.v1.Problem;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class SensorResourceTest {
    @Inject
    AgentPlaneServer agentPlane;
    @Inject
    InternalCa ca;
    @Inject
    TestClock clock;
    @Inject
    HeartbeatBuffer heartbeats;
    @Inject
    ConnectivitySweeper sweeper;
    @Inject
    RevocationList revocations;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private TestSensor enrolled(Map<String, Object> connectionStringRequest) {
        TestSensor s = new TestSensor("https://127.0.0.1:" + agentPlane.port(), ca.certificatePem());
        HttpResponse<String> r = s.enroll(ConnectionString.parse(Api.connectionString(connectionStringRequest)).token());
        assertEquals(200, r.statusCode(), r.body());
        return s;
    }

    private static String path(TestSensor s) {
        return "/api/v1/sensors/" + s.identity().sensorId();
    }

    @Test
    void heartbeatMakesTheSensorSyncedWithItsVersionAndHealth() {
        TestSensor s = enrolled(Map.of());
        HttpResponse<String> r = s.heartbeat(clock.instant());
        assertEquals(200, r.statusCode(), r.body());
        heartbeats.flush();
        Api.asAdmin().get(path(s)).then().statusCode(200)
                .body("connectivity", equalTo("SYNCED"))
                .body("softwareVersion", equalTo("1.0.0"))
                .body("healthStatus", equalTo("OK"));
    }

    @Test
    void clockOffsetPastTheThresholdGivesTimeDiffOffset() {
        TestSensor s = enrolled(Map.of());
        assertEquals(200, s.heartbeat(clock.instant().plus(Duration.ofMinutes(5))).statusCode());
        heartbeats.flush();
        Api.asAdmin().get(path(s)).then().statusCode(200)
                .body("connectivity", equalTo("TIME_DIFF_OFFSET"))
                .body("clockOffsetMs", greaterThanOrEqualTo(299_000));
        assertEquals(200, s.heartbeat(clock.instant()).statusCode());
        heartbeats.flush();
        Api.asAdmin().get(path(s)).then().body("connectivity", equalTo("SYNCED"));
    }

    @Test
    void silentSensorBecomesDisconnectedOnceAndReconnectsWithItsNextHeartbeat() {
        String zone = Api.zone("silent");
        TestSensor s = enrolled(Map.of("zoneId", zone));
        UUID id = UUID.fromString(s.identity().sensorId());
        assertEquals(200, s.heartbeat(clock.instant()).statusCode());
        heartbeats.flush();
        assertFalse(sweeper.sweep().contains(id), "not silent yet");

        clock.advance(Duration.ofSeconds(91));
        assertTrue(sweeper.sweep().contains(id), "silent for more than 3 intervals of 30 s");
        assertFalse(sweeper.sweep().contains(id), "a disconnect is a single transition");
        Api.asAdmin().get(path(s)).then().body("connectivity", equalTo("DISCONNECTED"));
        Api.asAdmin().get("/api/v1/sensors?connectivity=DISCONNECTED&zoneId=" + zone).then()
                .body("items.id", hasItem(s.identity().sensorId()));

        assertEquals(200, s.heartbeat(clock.instant()).statusCode());
        heartbeats.flush();
        Api.asAdmin().get(path(s)).then().body("connectivity", equalTo("SYNCED"));
    }

    @Test
    void inventoryFiltersByNameZoneAndStateAndPages() {
        String zoneId = Api.zone("filter-zone");
        TestSensor a = enrolled(Map.of("zoneId", zoneId));
        TestSensor b = enrolled(Map.of("zoneId", zoneId));
        enrolled(Map.of());
        Api.asAdmin().get("/api/v1/sensors?zoneId=" + zoneId).then().statusCode(200)
                .body("total", equalTo(2)).body("items.zoneId", everyItem(equalTo(zoneId)));
        Api.asAdmin().get("/api/v1/sensors?zoneId=" + zoneId + "&size=1&page=1").then().statusCode(200)
                .body("total", equalTo(2)).body("items.size()", equalTo(1)).body("page", equalTo(1));
        Api.asAdmin().get("/api/v1/sensors?unassigned=true&size=1000").then().statusCode(200)
                .body("items.id", not(hasItem(a.identity().sensorId())));
        Api.asAdmin().get("/api/v1/sensors?name=TEST-SENS&version=1.0.0&size=1000").then().statusCode(200)
                .body("items.id", hasItem(b.identity().sensorId()));
        Api.asAdmin().get("/api/v1/sensors?connectivity=SOMETHING").then().statusCode(400).contentType(Problem.MEDIA_TYPE);
        Api.asAdmin().get("/api/v1/sensors?size=0").then().statusCode(400).contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void deletingASensorRevokesItsCertificateOnTheAgentPlane() {
        TestSensor s = enrolled(Map.of());
        assertEquals(200, s.heartbeat(clock.instant()).statusCode());
        Api.asAdmin().delete(path(s)).then().statusCode(204);
        revocations.refresh();
        HttpResponse<String> r = s.heartbeat(clock.instant());
        assertEquals(403, r.statusCode(), r.body());
        assertEquals(Problem.TYPE_PREFIX + "certificate-revoked", TestSensor.read(r.body(), Problem.class).type());
        Api.asAdmin().get(path(s)).then().statusCode(404).contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void heartbeatWithoutClientCertificateIsRefused() {
        TestSensor s = enrolled(Map.of());
        HttpResponse<String> r = s.heartbeatWithoutCertificate();
        assertEquals(401, r.statusCode(), r.body());
        assertEquals(Problem.TYPE_PREFIX + "client-certificate-required", TestSensor.read(r.body(), Problem.class).type());
    }

    @Test
    void heartbeatWithInvalidBodyIsRefusedAndChangesNothing() {
        TestSensor s = enrolled(Map.of());
        Instant before = Instant.parse(Api.asAdmin().get(path(s)).then().extract().path("lastSeen"));
        HttpResponse<String> r = s.heartbeat(null);
        assertEquals(400, r.statusCode(), r.body());
        heartbeats.flush();
        assertEquals(before, Instant.parse(Api.asAdmin().get(path(s)).then().extract().path("lastSeen")));
    }

    @Test
    void unknownSensorIsA404Problem() {
        Api.asAdmin().get("/api/v1/sensors/" + UUID.randomUUID()).then().statusCode(404)
                .contentType(Problem.MEDIA_TYPE).body("type", equalTo(Problem.TYPE_PREFIX + "not-found"));
        Api.asAdmin().get("/api/v1/sensors/not-a-uuid").then().statusCode(400);
    }
}
