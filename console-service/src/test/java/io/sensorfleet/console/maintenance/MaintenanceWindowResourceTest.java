package io.sensorfleet.console.maintenance;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.sensorfleet.console.agentplane.AgentPlaneServer;
import io.sensorfleet.console.auth.JwtKeys;
import io.sensorfleet.console.platform.Role;
import io.sensorfleet.console.certificates.InternalCa;
import io.sensorfleet.console.forwarding.DeliveryWorker;
import io.sensorfleet.console.sensors.ConnectivitySweeper;
import io.sensorfleet.console.sensors.HeartbeatBuffer;
import io.sensorfleet.console.support.Api;
import io.sensorfleet.console.support.PostgresTestResource;
import io.sensorfleet.console.support.RoleTokens;
import io.sensorfleet.console.support.Rules;
import io.sensorfleet.console.support.TestClock;
import io.sensorfleet.console.support.TestFleet;
import io.sensorfleet.console.support.TestSensor;
import io.sensorfleet.console.support.WebhookReceiver;
import io.sensorfleet.protocol.v1.alerts.AlertReport;
import io.sensorfleet.protocol.v1.Problem;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class MaintenanceWindowResourceTest {
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
    DeliveryWorker worker;
    @Inject
    JwtKeys keys;

    TestFleet fleet;

    @BeforeEach
    void fleet() {
        fleet = new TestFleet(agentPlane, ca, heartbeats, sweeper, clock);
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private static Map<String, Object> window(String ticket, int ttlMinutes, TestSensor... sensors) {
        return Map.of("ticketId", ticket, "ttlMinutes", ttlMinutes,
                "sensorIds", java.util.Arrays.stream(sensors).map(s -> s.identity().sensorId()).toList());
    }

    private static String ticket() {
        return "CHG-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void disconnectDuringAnOpenWindowIsRecordedButNotForwardedAndAfterCloseANewOneIs() {
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            TestSensor s = fleet.reporting();
            Api.asAdmin().body(Rules.forSensors(List.of(s.identity().sensorId()), List.of(Rules.webhook(receiver.url()))))
                    .post("/api/v1/forwarding-rules").then().statusCode(201);
            String ticket = ticket();
            Api.asAdmin().body(window(ticket, 60, s)).post("/api/v1/maintenance-windows").then().statusCode(201)
                    .body("state", equalTo("OPEN"));

            fleet.silence();
            worker.deliverDue();

            assertEquals(0, receiver.received().size(), "held back by the window");
            JsonPath recorded = Api.asAdmin().get("/api/v1/notifications?type=SENSOR_DISCONNECTED&sensorId="
                    + s.identity().sensorId()).then().extract().jsonPath();
            assertEquals(1, recorded.getInt("total"), "still recorded");
            assertEquals(ticket, recorded.getString("items[0].suppressedBy"));

            Api.asAdmin().delete("/api/v1/maintenance-windows/" + ticket).then().statusCode(200)
                    .body("state", equalTo("CLOSED"));
            fleet.report(s);
            fleet.silence();
            worker.deliverDue();

            List<String> forwarded = receiver.received().stream().map(r -> r.json().get("type").asText()).toList();
            assertEquals(2, forwarded.size(), forwarded.toString());
            assertEquals(java.util.Set.of("SENSOR_RECONNECTED", "SENSOR_DISCONNECTED"), java.util.Set.copyOf(forwarded),
                    "the disconnect after the window is forwarded (with the reconnect before it)");
        }
    }

    @Test
    void windowWithEnginesHoldsBackOnlyAlertsOfThoseEngines() {
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            TestSensor s = fleet.reporting();
            Api.asAdmin().body(Rules.forSensors(List.of(s.identity().sensorId()), List.of(Rules.webhook(receiver.url()))))
                    .post("/api/v1/forwarding-rules").then().statusCode(201);
            Api.asAdmin().body(Map.of("ticketId", ticket(), "ttlMinutes", 30, "sensorIds", List.of(s.identity().sensorId()),
                    "engines", List.of("Anomaly"))).post("/api/v1/maintenance-windows").then().statusCode(201);

            s.alert(new AlertReport("an-1", "New asset", AlertReport.Severity.MINOR, "anomaly", null, null, null, Instant.now()));
            s.alert(new AlertReport("mw-1", "Known malware", AlertReport.Severity.MAJOR, "Malware", null, null, null, Instant.now()));
            worker.deliverDue();

            assertEquals(List.of("mw-1"), receiver.received().stream().map(r -> r.json().get("alertId").asText()).toList());
        }
    }

    @Test
    void windowIsExtendedClosedAndListedWithItsHistory() {
        TestSensor s = fleet.reporting();
        String ticket = ticket();
        Instant opened = clock.instant();
        Api.asAdmin().body(window(ticket, 10, s)).post("/api/v1/maintenance-windows").then().statusCode(201);

        JsonPath extended = Api.asAdmin().body(Map.of("ttlMinutes", 120)).put("/api/v1/maintenance-windows/" + ticket)
                .then().statusCode(200).extract().jsonPath();
        assertTrue(Instant.parse(extended.getString("endsAt")).isAfter(opened.plus(Duration.ofMinutes(119))));
        Api.asAdmin().delete("/api/v1/maintenance-windows/" + ticket).then().statusCode(200);

        JsonPath listed = Api.asAdmin().get("/api/v1/maintenance-windows?ticketId=" + ticket).then().statusCode(200)
                .extract().jsonPath();
        assertEquals(1, listed.getInt("total"));
        assertEquals("CLOSED", listed.getString("items[0].state"));
        assertEquals("admin", listed.getString("items[0].closedBy"));
        assertEquals(List.of("OPENED", "EXTENDED", "CLOSED"), listed.getList("items[0].history.action"));
        assertEquals(List.of(s.identity().sensorId()), listed.getList("items[0].sensorIds"));
        Api.asAdmin().get("/api/v1/maintenance-windows?state=OPEN&sensorId=" + s.identity().sensorId()).then()
                .statusCode(200).body("total", equalTo(0));
        Api.asAdmin().delete("/api/v1/maintenance-windows/" + ticket).then().statusCode(404);
    }

    @Test
    void ticketWithAnOpenWindowGives409UntilItExpires() {
        TestSensor s = fleet.reporting();
        String ticket = ticket();
        Api.asAdmin().body(window(ticket, 5, s)).post("/api/v1/maintenance-windows").then().statusCode(201);

        Api.asAdmin().body(window(ticket, 5, s)).post("/api/v1/maintenance-windows").then().statusCode(409)
                .contentType(Problem.MEDIA_TYPE).body("type", equalTo(Problem.TYPE_PREFIX + "maintenance-window-open"));

        clock.advance(Duration.ofMinutes(6));
        Api.asAdmin().body(window(ticket, 5, s)).post("/api/v1/maintenance-windows").then().statusCode(201);
        JsonPath history = Api.asAdmin().get("/api/v1/maintenance-windows?ticketId=" + ticket).then().extract().jsonPath();
        assertEquals(List.of("OPEN", "EXPIRED"), history.getList("items.state"));
    }

    @Test
    void badWindowsAreRefusedNamingTheField() {
        TestSensor s = fleet.reporting();
        Api.asAdmin().body(Map.of("ticketId", ticket(), "ttlMinutes", 10, "sensorIds", List.of(UUID.randomUUID().toString())))
                .post("/api/v1/maintenance-windows").then().statusCode(400).body("detail", startsWith("sensorIds:"));
        Api.asAdmin().body(window(ticket(), 0, s)).post("/api/v1/maintenance-windows").then().statusCode(400)
                .body("detail", containsString("ttlMinutes"));
        Api.asAdmin().body(window(ticket(), 60 * 24 * 8, s)).post("/api/v1/maintenance-windows").then().statusCode(400)
                .body("detail", containsString("ttlMinutes"));
        Api.asAdmin().body(Map.of("ticketId", "bad ticket!", "ttlMinutes", 10, "sensorIds", List.of(s.identity().sensorId())))
                .post("/api/v1/maintenance-windows").then().statusCode(400).body("detail", containsString("ticketId"));
        Api.asAdmin().body(Map.of("ticketId", ticket(), "ttlMinutes", 10, "sensorIds", List.of()))
                .post("/api/v1/maintenance-windows").then().statusCode(400).body("detail", containsString("sensorIds"));
    }

    @Test
    void analystsManageWindowsAndReadOnlyUsersOnlyView() {
        TestSensor s = fleet.reporting();
        String ticket = ticket();
        RoleTokens.as(keys, Role.ANALYST_NAME).body(window(ticket, 10, s)).post("/api/v1/maintenance-windows").then()
                .statusCode(201).body("openedBy", equalTo("test-security-analyst"));
        RoleTokens.as(keys, Role.READ_ONLY_NAME).body(window(ticket(), 10, s)).post("/api/v1/maintenance-windows")
                .then().statusCode(403);
        RoleTokens.as(keys, Role.READ_ONLY_NAME).delete("/api/v1/maintenance-windows/" + ticket).then().statusCode(403);
        RoleTokens.as(keys, Role.READ_ONLY_NAME).get("/api/v1/maintenance-windows?ticketId=" + ticket).then()
                .statusCode(200).body("total", equalTo(1));
        RoleTokens.as(keys, Role.ANALYST_NAME).delete("/api/v1/maintenance-windows/" + ticket).then().statusCode(200);
    }
}
