package io.sensorfleet.console.health;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.sensorfleet.console.forwarding.DeliveryWorker;
import io.sensorfleet.console.sensors.HeartbeatBuffer;
import io.sensorfleet.console.support.Api;
import io.sensorfleet.console.support.Browser;
import io.sensorfleet.console.support.PostgresTestResource;
import io.sensorfleet.console.support.Rules;
import io.sensorfleet.console.support.TestFleet;
import io.sensorfleet.console.support.TestSensor;
import io.sensorfleet.console.support.WebhookReceiver;
import io.sensorfleet.protocol.v1.heartbeat.Health;
import io.sensorfleet.protocol.v1.Problem;
import io.sensorfleet.protocol.v1.heartbeat.HealthCheck;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Health checks a sensor reports: stored, shown, filtered, and notified once per transition. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class SensorHealthTest {
    private static final HealthCheck DISK_OK = new HealthCheck("disk:/data", Health.Status.OK, "40 % used, alarm at 85 %", "40");
    private static final HealthCheck DISK_FULL = new HealthCheck("disk:/data", Health.Status.DEGRADED, "93 % used, alarm at 85 %", "93");
    private static final HealthCheck ENGINE_UP = new HealthCheck("service:snort", Health.Status.OK, "running", "1");
    private static final HealthCheck ENGINE_DOWN = new HealthCheck("service:snort", Health.Status.FAILED, "no process snort", "0");

    @Inject
    TestFleet fleet;
    @Inject
    HeartbeatBuffer heartbeats;
    @Inject
    DeliveryWorker worker;

    private static Health health(HealthCheck... checks) {
        Health.Status worst = Health.Status.OK;
        for (HealthCheck c : checks) {
            worst = worst.worst(c.status());
        }
        return new Health(worst, null, List.of(checks));
    }

    private void report(TestSensor s, Health h) {
        HttpResponse<String> r = s.heartbeat(Instant.now(), h);
        assertEquals(200, r.statusCode(), r.body());
        heartbeats.flush();
    }

    private static JsonPath notifications(TestSensor s, String type) {
        return Api.asAdmin().get("/api/v1/notifications?type=" + type + "&sensorId=" + s.identity().sensorId())
                .then().statusCode(200).extract().jsonPath();
    }

    @Test
    void eachTransitionIsNotifiedOnceNamingTheFailingChecksAndRepeatsAreNot() {
        TestSensor s = fleet.reporting();
        report(s, health(DISK_FULL, ENGINE_UP));
        report(s, health(DISK_FULL, ENGINE_UP));
        JsonPath degraded = notifications(s, "SENSOR_HEALTH_DEGRADED");
        assertEquals(1, degraded.getInt("total"));
        assertTrue(degraded.getString("items[0].message").contains("disk:/data (DEGRADED: 93 % used, alarm at 85 %)"),
                degraded.getString("items[0].message"));

        report(s, health(DISK_FULL, ENGINE_DOWN));
        report(s, health(DISK_FULL, ENGINE_DOWN));
        JsonPath failed = notifications(s, "SENSOR_HEALTH_FAILED");
        assertEquals(1, failed.getInt("total"));
        String message = failed.getString("items[0].message");
        assertTrue(message.contains("service:snort (FAILED: no process snort)") && message.contains("disk:/data"), message);
        assertEquals("MAJOR", failed.getString("items[0].severity"));

        report(s, health(DISK_OK, ENGINE_UP));
        report(s, health(DISK_OK, ENGINE_UP));
        assertEquals(1, notifications(s, "SENSOR_HEALTH_RECOVERED").getInt("total"));
        assertEquals(1, notifications(s, "SENSOR_HEALTH_DEGRADED").getInt("total"));
        assertEquals(1, notifications(s, "SENSOR_HEALTH_FAILED").getInt("total"));
    }

    @Test
    void theInventoryFiltersByHealthAndNamesTheFailingChecks() {
        TestSensor sick = fleet.reporting();
        TestSensor well = fleet.reporting();
        report(sick, health(DISK_FULL, ENGINE_DOWN));
        report(well, health(DISK_OK, ENGINE_UP));
        String sickId = sick.identity().sensorId();
        String wellId = well.identity().sensorId();
        Api.asAdmin().get("/api/v1/sensors?health=FAILED&size=1000").then().statusCode(200)
                .body("items.id", hasItem(sickId)).body("items.id", not(hasItem(wellId)))
                .body("items.find { it.id == '" + sickId + "' }.failingChecks", equalTo(List.of("disk:/data", "service:snort")));
        Api.asAdmin().get("/api/v1/sensors?health=OK&size=1000").then().body("items.id", hasItem(wellId))
                .body("items.find { it.id == '" + wellId + "' }.failingChecks.size()", equalTo(0));
        Api.asAdmin().get("/api/v1/sensors/" + sickId + "/health").then().statusCode(200)
                .body("status", equalTo("FAILED"))
                .body("checks.name", equalTo(List.of("disk:/data", "service:snort")))
                .body("checks.find { it.name == 'service:snort' }.message", equalTo("no process snort"));
        Api.asAdmin().get("/api/v1/sensors/" + UUID.randomUUID() + "/health").then().statusCode(404)
                .contentType(Problem.MEDIA_TYPE);
        Api.asAdmin().get("/api/v1/sensors?health=POORLY").then().statusCode(400).contentType(Problem.MEDIA_TYPE);

        Browser b = Browser.as("READ_ONLY");
        b.get().get("/ui/sensors?health=FAILED&size=200").then().statusCode(200)
                .body(containsString("/ui/sensors/" + sickId)).body(containsString("service:snort"))
                .body(not(containsString("/ui/sensors/" + wellId)));
        b.get().get("/ui/sensors?health=POORLY").then().statusCode(400);
        b.get().get("/ui/sensors/" + sickId).then().statusCode(200).body(containsString("id=\"health-checks\""))
                .body(containsString("no process snort")).body(containsString("93 % used, alarm at 85 %"));
        b.get().get("/ui").then().statusCode(200).body(containsString("id=\"health-failed\""));
    }

    @Test
    void anUnchangedHealthIsNotRewrittenWhileAFailingMessageChangeIs() {
        TestSensor s = fleet.reporting();
        String id = s.identity().sensorId();
        report(s, health(DISK_OK, ENGINE_DOWN));
        String first = Api.asAdmin().get("/api/v1/sensors/" + id + "/health").then().extract().path("reportedAt");
        report(s, health(new HealthCheck("disk:/data", Health.Status.OK, "41 % used, alarm at 85 %", "41"), ENGINE_DOWN));
        assertEquals(first, Api.asAdmin().get("/api/v1/sensors/" + id + "/health").then().extract().path("reportedAt"),
                "an OK check's moving value is not worth a write");
        report(s, health(DISK_OK, new HealthCheck("service:snort", Health.Status.FAILED, "snort exited with 1", "0")));
        Api.asAdmin().get("/api/v1/sensors/" + id + "/health").then()
                .body("checks.find { it.name == 'service:snort' }.message", equalTo("snort exited with 1"));
        assertEquals(1, notifications(s, "SENSOR_HEALTH_FAILED").getInt("total"), "same status: no new transition");
    }

    @Test
    void malformedChecksAreRefusedAndTheBatchOfOthersIsUnharmed() {
        TestSensor s = fleet.reporting();
        List<HealthCheck> tooMany = new ArrayList<>(Collections.nCopies(65, DISK_OK));
        for (Health bad : List.of(new Health(Health.Status.OK, null, tooMany),
                new Health(Health.Status.FAILED, null, List.of(new HealthCheck(null, Health.Status.FAILED, "x", null))),
                new Health(Health.Status.FAILED, null, List.of(new HealthCheck("disk", null, "x", null))),
                new Health(Health.Status.DEGRADED, null, List.of(new HealthCheck("disk", Health.Status.DEGRADED, "m".repeat(513), null))))) {
            HttpResponse<String> r = s.heartbeat(Instant.now(), bad);
            assertEquals(400, r.statusCode(), r.body());
            assertTrue(r.body().contains("health.checks"), r.body());
        }
    }

    @Test
    void healthNotificationsAreForwardedAndHeldBackByAnOpenMaintenanceWindow() {
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            TestSensor held = fleet.reporting();
            TestSensor sent = fleet.reporting();
            Api.asAdmin().body(Rules.forSensors(List.of(held.identity().sensorId(), sent.identity().sensorId()),
                    List.of(Rules.webhook(receiver.url())))).post("/api/v1/forwarding-rules").then().statusCode(201);
            String ticket = "CHG-" + UUID.randomUUID().toString().substring(0, 8);
            Api.asAdmin().body(Map.of("ticketId", ticket, "ttlMinutes", 60, "sensorIds", List.of(held.identity().sensorId())))
                    .post("/api/v1/maintenance-windows").then().statusCode(201);
            report(held, health(ENGINE_DOWN));
            report(sent, health(ENGINE_DOWN));
            worker.deliverDue();
            List<WebhookReceiver.Received> got = receiver.received();
            assertEquals(1, got.size(), "only the sensor outside the window: " + got);
            assertTrue(got.get(0).body().contains("SENSOR_HEALTH_FAILED") && got.get(0).body().contains("service:snort"),
                    got.get(0).body());
            assertTrue(got.get(0).body().contains(sent.identity().sensorId()), got.get(0).body());
            assertEquals(ticket, notifications(held, "SENSOR_HEALTH_FAILED").getString("items[0].suppressedBy"));
        }
    }
}
