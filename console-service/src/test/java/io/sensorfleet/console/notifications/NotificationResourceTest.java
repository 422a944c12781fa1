package io.sensorfleet.console.notifications;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.sensorfleet.console.agentplane.AgentPlaneServer;
import io.sensorfleet.console.certificates.InternalCa;
import io.sensorfleet.console.sensors.ConnectivitySweeper;
import io.sensorfleet.console.sensors.HeartbeatBuffer;
import io.sensorfleet.console.support.Api;
import io.sensorfleet.console.support.PostgresTestResource;
import io.sensorfleet.console.support.TestClock;
import io.sensorfleet.console.support.TestFleet;
import io.sensorfleet.console.support.TestSensor;
import io.sensorfleet.protocol.v1.alerts.AlertReceipt;
import io.sensorfleet.protocol.v1.alerts.AlertReport;
import io.sensorfleet.protocol.v1.Problem;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionalException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class NotificationResourceTest {
    @Inject
    AgentPlaneServer agentPlane;
    @Inject
    InternalCa ca;
    @Inject
    HeartbeatBuffer heartbeats;
    @Inject
    ConnectivitySweeper sweeper;
    @Inject
    TestClock clock;
    @Inject
    SystemEvents events;

    TestFleet fleet;

    @BeforeEach
    void fleet() {
        fleet = new TestFleet(agentPlane, ca, heartbeats, sweeper, clock);
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    static JsonPath notificationsOf(TestSensor s, String query) {
        return Api.asAdmin().get("/api/v1/notifications?sensorId=" + s.identity().sensorId() + query)
                .then().statusCode(200).extract().jsonPath();
    }

    @Test
    void disconnectAndReconnectAreEachRecordedOnceWithSensorAndZoneNames() {
        String zoneName = "notified-zone-" + UUID.randomUUID();
        String zoneId = Api.asAdmin().body(Map.of("name", zoneName, "siteId", Api.siteId())).post("/api/v1/zones").then().statusCode(201)
                .extract().path("id");
        TestSensor s = fleet.reporting(Map.of("zoneId", zoneId));

        fleet.silence();
        sweeper.sweep();

        JsonPath disconnected = notificationsOf(s, "&type=SENSOR_DISCONNECTED");
        assertEquals(1, disconnected.getInt("total"), "one transition, one notification");
        assertEquals("MAJOR", disconnected.getString("items[0].severity"));
        assertEquals("SYSTEM", disconnected.getString("items[0].category"));
        assertEquals("test-sensor", disconnected.getString("items[0].sensorName"));
        assertEquals(zoneId, disconnected.getString("items[0].zoneId"));
        assertEquals(zoneName, disconnected.getString("items[0].zoneName"));
        assertTrue(disconnected.getString("items[0].message").contains("no heartbeat"));

        fleet.report(s);
        fleet.report(s);

        JsonPath reconnected = notificationsOf(s, "&type=SENSOR_RECONNECTED");
        assertEquals(1, reconnected.getInt("total"));
        assertEquals("WARNING", reconnected.getString("items[0].severity"));
        String id = reconnected.getString("items[0].id");
        Api.asAdmin().get("/api/v1/notifications/" + id).then().statusCode(200).body("type", equalTo("SENSOR_RECONNECTED"));
    }

    @Test
    void clockDriftIsRecordedWhenTheSensorEntersTimeDiffOffset() {
        TestSensor s = fleet.reporting();

        fleet.report(s, Duration.ofMinutes(5));
        fleet.report(s, Duration.ofMinutes(5));

        JsonPath drift = notificationsOf(s, "&type=TIME_DRIFT");
        assertEquals(1, drift.getInt("total"), "entering the state is the event, staying in it is not");
        assertEquals("MINOR", drift.getString("items[0].severity"));
        assertTrue(drift.getString("items[0].message").contains("by 300 s"), drift.getString("items[0].message"));
    }

    @Test
    void alertResentWithTheSameIdIsRecordedOnce() {
        TestSensor s = fleet.reporting();
        AlertReport alert = new AlertReport("a-" + UUID.randomUUID(), "Unauthorized PLC program upload",
                AlertReport.Severity.CRITICAL, "Policy Violation", "Modbus", "10.1.1.5", "plc-7", Instant.now());

        HttpResponse<String> first = s.alert(alert);
        HttpResponse<String> again = s.alert(alert);

        assertEquals(200, first.statusCode(), first.body());
        assertFalse(TestSensor.read(first.body(), AlertReceipt.class).duplicate());
        assertEquals(200, again.statusCode(), again.body());
        assertTrue(TestSensor.read(again.body(), AlertReceipt.class).duplicate());
        JsonPath alerts = notificationsOf(s, "&category=ALERT");
        assertEquals(1, alerts.getInt("total"));
        assertEquals("SENSOR_ALERT", alerts.getString("items[0].type"));
        assertEquals("CRITICAL", alerts.getString("items[0].severity"));
        assertEquals("Unauthorized PLC program upload", alerts.getString("items[0].title"));
        assertEquals("Modbus", alerts.getString("items[0].protocol"));
        assertEquals(alert.alertId(), alerts.getString("items[0].alertId"));
    }

    @Test
    void alertsArrivingTogetherAreEachStoredOnceAndDuplicatesInTheSameGroupAreNamed() throws Exception {
        TestSensor s = fleet.reporting();
        List<AlertReport> distinct = java.util.stream.IntStream.range(0, 20).mapToObj(i -> new AlertReport(
                "burst-" + i + "-" + UUID.randomUUID(), "Port scan " + i, AlertReport.Severity.MAJOR, "Scan", "TCP",
                "10.0.0." + i, "10.9.9.9", Instant.now())).toList();
        List<AlertReport> twice = new java.util.ArrayList<>(distinct);
        twice.addAll(distinct);

        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> sent = twice.stream()
                .map(a -> java.util.concurrent.CompletableFuture.supplyAsync(() -> s.alert(a))).toList();
        List<AlertReceipt> receipts = new java.util.ArrayList<>();
        for (var f : sent) {
            HttpResponse<String> r = f.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(200, r.statusCode(), r.body());
            receipts.add(TestSensor.read(r.body(), AlertReceipt.class));
        }

        for (AlertReport a : distinct) {
            List<Boolean> flags = receipts.stream().filter(r -> r.alertId().equals(a.alertId()))
                    .map(AlertReceipt::duplicate).sorted().toList();
            assertEquals(List.of(false, true), flags, "one stored, one named a duplicate: " + a.alertId());
        }
        assertEquals(20, notificationsOf(s, "&category=ALERT").getInt("total"));
    }

    @Test
    void invalidAlertIsRefusedNamingTheFieldAndNothingIsRecorded() {
        TestSensor s = fleet.reporting();
        HttpResponse<String> r = s.alert(new AlertReport("bad id with spaces", " ", null, null, null, null, null, null));

        assertEquals(400, r.statusCode(), r.body());
        Problem p = TestSensor.read(r.body(), Problem.class);
        for (String field : List.of("alertId:", "title:", "severity:", "detectedAt:")) {
            assertTrue(p.detail().contains(field), p.detail());
        }
        assertEquals(0, notificationsOf(s, "&category=ALERT").getInt("total"));
    }

    @Test
    void notificationsFilterBySeverityAndPageNewestFirst() {
        TestSensor s = fleet.reporting();
        for (var sev : AlertReport.Severity.values()) {
            assertEquals(200, s.alert(new AlertReport(sev + "-" + UUID.randomUUID(), "alert " + sev, sev, null, null,
                    null, null, Instant.now().plusSeconds(sev.ordinal()))).statusCode());
        }

        JsonPath majorAndUp = notificationsOf(s, "&minSeverity=MAJOR");
        assertEquals(2, majorAndUp.getInt("total"));
        assertEquals(List.of("CRITICAL", "MAJOR"), majorAndUp.getList("items.severity"));
        JsonPath page = notificationsOf(s, "&category=ALERT&size=1&page=1");
        assertEquals(4, page.getInt("total"));
        assertEquals("MAJOR", page.getString("items[0].severity"));
        Api.asAdmin().get("/api/v1/notifications/" + UUID.randomUUID()).then().statusCode(404)
                .contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void recordingNeedsTheTransactionOfTheChangeThatCausedIt() {
        assertThrows(TransactionalException.class, () -> events.record(
                SystemEvent.of(NotificationType.REMOTE_BACKUP_FAILED, null, "not inside a transaction")));
    }

    @Test
    void everyRoleMayReadNotifications() {
        Api.asAdmin().get("/api/v1/notifications?size=1").then().statusCode(200).body("page", equalTo(0));
        io.restassured.RestAssured.given().get("/api/v1/notifications").then().statusCode(401)
                .body("type", containsString("unauthorized"));
    }
}
