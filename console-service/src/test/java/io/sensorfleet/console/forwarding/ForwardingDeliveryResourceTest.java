package io.sensorfleet.console.forwarding;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.sensorfleet.console.agentplane.AgentPlaneServer;
import io.sensorfleet.console.certificates.InternalCa;
import io.sensorfleet.console.sensors.ConnectivitySweeper;
import io.sensorfleet.console.sensors.HeartbeatBuffer;
import io.sensorfleet.console.support.Api;
import io.sensorfleet.console.support.PostgresTestResource;
import io.sensorfleet.console.support.Rules;
import io.sensorfleet.console.support.TestClock;
import io.sensorfleet.console.support.TestFleet;
import io.sensorfleet.console.support.TestSensor;
import io.sensorfleet.console.support.WebhookReceiver;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The outbox through the API: retries, attempts, dead letters and replays, counters. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class ForwardingDeliveryResourceTest {
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
    jakarta.persistence.EntityManager em;

    TestFleet fleet;

    @BeforeEach
    void fleet() {
        fleet = new TestFleet(agentPlane, ca, heartbeats, sweeper, clock);
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private static String rule(TestSensor s, String url) {
        return Api.asAdmin().body(Rules.forSensors(List.of(s.identity().sensorId()), List.of(Rules.webhook(url))))
                .post("/api/v1/forwarding-rules").then().statusCode(201).extract().path("id");
    }

    private static JsonPath deliveries(String ruleId) {
        return Api.asAdmin().get("/api/v1/forwarding-rules/" + ruleId + "/deliveries").then().statusCode(200)
                .extract().jsonPath();
    }

    /** Runs the outbox {@code times}, each time after the longest retry delay has passed. */
    private void deliverRepeatedly(int times) {
        for (int i = 0; i < times; i++) {
            worker.deliverDue();
            clock.advance(Duration.ofMinutes(6));
        }
    }

    @Test
    void webhookHeaderValuesAreStoredSealedShownMaskedAndSentInClear() {
        String secret = "Bearer hook-secret-" + java.util.UUID.randomUUID();
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            TestSensor s = fleet.reporting();
            Map<String, Object> action = new java.util.HashMap<>(Rules.webhook(receiver.url()));
            action.put("headers", Map.of("Authorization", secret));
            Map<String, Object> rule = Rules.forSensors(List.of(s.identity().sensorId()), List.of(action));
            String ruleId = Api.asAdmin().body(rule).post("/api/v1/forwarding-rules").then().statusCode(201)
                    .extract().path("id");
            JsonPath shown = Api.asAdmin().get("/api/v1/forwarding-rules/" + ruleId).then().statusCode(200)
                    .extract().jsonPath();
            assertEquals("(set)", shown.getString("actions[0].headers.Authorization"));
            // Saving the rule back as shown keeps the stored value.
            action.put("id", shown.getString("actions[0].id"));
            action.put("headers", Map.of("Authorization", "(set)"));
            Api.asAdmin().body(rule).put("/api/v1/forwarding-rules/" + ruleId).then().statusCode(200);
            String stored = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> String.valueOf(
                    em.createNativeQuery("select settings from forwarding_actions where rule_id = ?1")
                            .setParameter(1, java.util.UUID.fromString(ruleId)).getSingleResult()));
            assertTrue(stored.contains("sealed:v1:") && !stored.contains("hook-secret"), stored);

            fleet.silence();
            deliverRepeatedly(1);
            assertEquals(secret, receiver.received().get(0).header("Authorization"));
        }
    }

    @Test
    void webhookFailingThreeTimesGetsTheMessageOnceWithA2xxAndTheOutboxShowsFourAttempts() {
        try (WebhookReceiver receiver = WebhookReceiver.start().answer(500, 500, 500)) {
            TestSensor s = fleet.reporting();
            String ruleId = rule(s, receiver.url());
            fleet.silence();

            deliverRepeatedly(6);

            List<WebhookReceiver.Received> got = receiver.received();
            assertEquals(List.of(500, 500, 500, 200), got.stream().map(WebhookReceiver.Received::status).toList());
            assertEquals(1, got.stream().filter(WebhookReceiver.Received::ok).count(), "exactly one 2xx");
            String eventId = Api.asAdmin().get("/api/v1/notifications?type=SENSOR_DISCONNECTED&sensorId="
                    + s.identity().sensorId()).then().extract().path("items[0].id");
            for (WebhookReceiver.Received r : got) {
                assertEquals(eventId, r.eventIdHeader(), "the same event id on every attempt");
                assertEquals(eventId, r.json().get("eventId").asText());
                assertEquals("SENSOR_DISCONNECTED", r.json().get("type").asText());
                assertEquals(s.identity().sensorId(), r.json().get("sensorId").asText());
            }
            JsonPath log = deliveries(ruleId);
            assertEquals(1, log.getInt("total"));
            assertEquals("DELIVERED", log.getString("items[0].state"));
            assertEquals(4, log.getInt("items[0].attempts"));
            JsonPath one = Api.asAdmin().get("/api/v1/forwarding-rules/" + ruleId + "/deliveries/"
                    + log.getLong("items[0].id")).then().statusCode(200).extract().jsonPath();
            assertEquals(List.of(false, false, false, true), one.getList("history.succeeded"));
            assertTrue(one.getString("history[0].outcome").startsWith("HTTP 500"), one.getString("history[0].outcome"));
            JsonPath rule = Api.asAdmin().get("/api/v1/forwarding-rules/" + ruleId).then().extract().jsonPath();
            assertEquals(1, rule.getInt("actions[0].delivery.delivered"));
            assertEquals(3, rule.getInt("actions[0].delivery.failedAttempts"));
            assertEquals(0, rule.getInt("actions[0].delivery.pending"));
        }
    }

    @Test
    void messageFailingEveryAttemptIsParkedVisibleAndDeliveredAfterReplay() {
        try (WebhookReceiver receiver = WebhookReceiver.start().answer(503, 503, 503, 503, 503)) {
            TestSensor s = fleet.reporting();
            String ruleId = rule(s, receiver.url());
            fleet.silence();

            deliverRepeatedly(7);

            assertEquals(5, receiver.received().size(), "max-attempts is 5 in the test profile");
            JsonPath parked = Api.asAdmin().get("/api/v1/forwarding-rules/" + ruleId + "/deliveries?state=PARKED")
                    .then().extract().jsonPath();
            assertEquals(1, parked.getInt("total"));
            assertTrue(parked.getString("items[0].lastError").startsWith("HTTP 503"));
            JsonPath rule = Api.asAdmin().get("/api/v1/forwarding-rules/" + ruleId).then().extract().jsonPath();
            assertEquals(1, rule.getInt("actions[0].delivery.parked"));
            String actionId = rule.getString("actions[0].id");
            given().header("Authorization", "Bearer " + io.sensorfleet.console.support.Api.adminToken()).get("/q/metrics").then().statusCode(200)
                    .body(containsString("sensorfleet_forwarding_attempts_total{action=\"" + actionId))
                    .body(containsString("result=\"parked\""));

            Api.asAdmin().post("/api/v1/forwarding-rules/" + ruleId + "/deliveries/replay").then().statusCode(200)
                    .body("replayed", org.hamcrest.Matchers.equalTo(1));
            worker.deliverDue();

            assertEquals(200, receiver.received().getLast().status());
            JsonPath after = deliveries(ruleId);
            assertEquals("DELIVERED", after.getString("items[0].state"));
            Api.asAdmin().post("/api/v1/forwarding-rules/" + ruleId + "/deliveries/" + after.getLong("items[0].id")
                    + "/replay").then().statusCode(200).body("state", org.hamcrest.Matchers.equalTo("PENDING"));
            Api.asAdmin().post("/api/v1/forwarding-rules/" + ruleId + "/deliveries/" + after.getLong("items[0].id")
                    + "/replay").then().statusCode(409);
        }
    }

    @Test
    void alertIsForwardedOnlyByRulesWhoseFiltersItPasses() {
        try (WebhookReceiver modbus = WebhookReceiver.start(); WebhookReceiver critical = WebhookReceiver.start()) {
            TestSensor s = fleet.reporting();
            List<String> sensor = List.of(s.identity().sensorId());
            Api.asAdmin().body(Rules.with(Rules.forSensors(sensor, List.of(Rules.webhook(modbus.url()))), "filters",
                    Map.of("sensorIds", sensor, "protocols", List.of("modbus")))).post("/api/v1/forwarding-rules")
                    .then().statusCode(201);
            Api.asAdmin().body(Rules.with(Rules.forSensors(sensor, List.of(Rules.webhook(critical.url()))),
                    "minSeverity", "CRITICAL")).post("/api/v1/forwarding-rules").then().statusCode(201);

            s.alert(new io.sensorfleet.protocol.v1.alerts.AlertReport("m1", "Modbus write", io.sensorfleet.protocol.v1.alerts.AlertReport.Severity.MINOR,
                    "Policy Violation", "Modbus", "10.0.0.1", "10.0.0.2", java.time.Instant.now()));
            s.alert(new io.sensorfleet.protocol.v1.alerts.AlertReport("d1", "DNP3 malware", io.sensorfleet.protocol.v1.alerts.AlertReport.Severity.CRITICAL,
                    "Malware", "DNP3", "10.0.0.3", "10.0.0.4", java.time.Instant.now()));
            worker.deliverDue();

            assertEquals(List.of("m1"), modbus.received().stream().map(r -> r.json().get("alertId").asText()).toList());
            assertEquals(List.of("d1"), critical.received().stream().map(r -> r.json().get("alertId").asText()).toList());
            assertEquals("Malware", critical.received().getFirst().json().get("engine").asText());
        }
    }

    private static String site(String region, String name) {
        return Api.asAdmin().body(Map.of("name", name, "regionId", region)).post("/api/v1/sites").then().statusCode(201)
                .extract().path("id");
    }

    private static String ruleWith(Map<String, Object> filters, String url) {
        Map<String, Object> rule = Rules.with(Rules.forSensors(List.of(), List.of(Rules.webhook(url))), "filters", filters);
        return Api.asAdmin().body(rule).post("/api/v1/forwarding-rules").then().statusCode(201).extract().path("id");
    }

    @Test
    void siteAndLabelFiltersRouteBySensorsSiteAndLabelsAndMessagesNameTheSite() {
        String suffix = java.util.UUID.randomUUID().toString().substring(0, 8);
        String bu = Api.asAdmin().body(Map.of("name", "Fwd BU " + suffix)).post("/api/v1/business-units").then()
                .statusCode(201).extract().path("id");
        String region = Api.asAdmin().body(Map.of("name", "Fwd region", "businessUnitId", bu)).post("/api/v1/regions")
                .then().statusCode(201).extract().path("id");
        String siteA = site(region, "Plant A " + suffix);
        String siteB = site(region, "Plant B " + suffix);
        String zoneA = Api.asAdmin().body(Map.of("name", "line-" + suffix, "siteId", siteA)).post("/api/v1/zones")
                .then().statusCode(201).extract().path("id");
        String key = "fwd-" + suffix;
        try (WebhookReceiver a = WebhookReceiver.start(); WebhookReceiver b = WebhookReceiver.start();
             WebhookReceiver prod = WebhookReceiver.start(); WebhookReceiver test = WebhookReceiver.start();
             WebhookReceiver anyValue = WebhookReceiver.start()) {
            TestSensor s = fleet.reporting(Map.of("zoneId", zoneA));
            String sensorId = s.identity().sensorId();
            Api.asAdmin().body(Map.of("sensorIds", List.of(sensorId), "set", Map.of(key, "prod")))
                    .post("/api/v1/sensors/labels").then().statusCode(200);
            List<String> rules = List.of(
                    ruleWith(Map.of("siteIds", List.of(siteA)), a.url()),
                    ruleWith(Map.of("siteIds", List.of(siteB)), b.url()),
                    ruleWith(Map.of("labels", List.of(key + "=prod")), prod.url()),
                    ruleWith(Map.of("labels", List.of(key + "=test")), test.url()),
                    ruleWith(Map.of("labels", List.of(key), "siteIds", List.of(siteA, siteB)), anyValue.url()));
            try {
                fleet.silence();
                deliverRepeatedly(1);

                assertEquals(1, a.receivedFor(sensorId).size(), "the site-A rule forwards a notification of a sensor in site A");
                assertEquals(0, b.receivedFor(sensorId).size(), "the site-B rule does not");
                assertEquals(1, prod.receivedFor(sensorId).size(), "label key=value matches");
                assertEquals(0, test.receivedFor(sensorId).size(), "another value does not");
                assertEquals(1, anyValue.receivedFor(sensorId).size(), "a key alone matches any value");
                var body = a.receivedFor(sensorId).get(0).json();
                assertEquals(siteA, body.path("siteId").asText());
                assertEquals("Plant A " + suffix, body.path("siteName").asText());
                assertEquals(zoneA, body.path("zoneId").asText());
            } finally {
                rules.forEach(id -> Api.asAdmin().delete("/api/v1/forwarding-rules/" + id).then().statusCode(204));
            }
        }
    }
}
