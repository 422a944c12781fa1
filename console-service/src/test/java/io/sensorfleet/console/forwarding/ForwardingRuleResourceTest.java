package io.sensorfleet.console.forwarding;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.sensorfleet.console.auth.JwtKeys;
import io.sensorfleet.console.platform.Role;
import io.sensorfleet.console.support.Api;
import io.sensorfleet.console.support.PostgresTestResource;
import io.sensorfleet.console.support.RoleTokens;
import io.sensorfleet.console.support.Rules;
import io.sensorfleet.console.support.ThrowawayPostgres;
import io.sensorfleet.console.support.WebhookReceiver;
import io.sensorfleet.protocol.v1.Problem;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class ForwardingRuleResourceTest {
    @Inject
    JwtKeys keys;

    private static Map<String, Object> rule(Map<String, Object> action) {
        return Rules.forSensors(List.of(), List.of(action));
    }

    private static Map<String, Object> action(Map<String, Object> base, String key, Object value) {
        Map<String, Object> a = new HashMap<>(base);
        a.put(key, value);
        return a;
    }

    private static int ruleCount() {
        return Api.asAdmin().get("/api/v1/forwarding-rules?size=500").then().statusCode(200).extract().path("total");
    }

    @Test
    void ruleWithSyslogAndWebhookActionsIsSavedAndShownWithItsDeliveryState() {
        Map<String, Object> body = Rules.forSensors(List.of(), List.of(
                action(Rules.syslog(6514, "tls", "cef"), "timeZone", "Europe/Paris"),
                action(Rules.webhook("https://siem.example.com/hook"), "headers", Map.of("Authorization", "Bearer x", "X-Tenant_1", "a"))));
        JsonPath created = Api.asAdmin().body(body).post("/api/v1/forwarding-rules").then().statusCode(201)
                .extract().jsonPath();

        assertEquals("TLS", created.getString("actions[0].transport"));
        assertEquals("CEF", created.getString("actions[0].format"));
        assertEquals("Europe/Paris", created.getString("actions[0].timeZone"));
        assertEquals("(set)", created.getString("actions[1].headers.Authorization"), "header values are shown masked");
        assertEquals(0, created.getInt("actions[1].delivery.pending"));
        assertTrue(created.getBoolean("enabled"));
        String id = created.getString("id");
        Api.asAdmin().get("/api/v1/forwarding-rules/" + id).then().statusCode(200)
                .body("name", equalTo(body.get("name"))).body("actions.size()", equalTo(2));
        Api.asAdmin().body(body).post("/api/v1/forwarding-rules").then().statusCode(409)
                .body("type", equalTo(Problem.TYPE_PREFIX + "rule-exists"));
        // A rule without sensor filters covers the whole fleet: left enabled, every later test's notifications would queue for it.
        Api.asAdmin().delete("/api/v1/forwarding-rules/" + id).then().statusCode(204);
    }

    @Test
    void aRuleWithoutFiltersCoversTheWholeFleet() {
        Map<String, Object> body = new java.util.HashMap<>(Rules.forSensors(List.of(), List.of(Rules.webhook("http://127.0.0.1:1/all"))));
        body.remove("filters");

        JsonPath created = Api.asAdmin().body(body).post("/api/v1/forwarding-rules").then().statusCode(201)
                .extract().jsonPath();

        assertEquals(List.of(), created.getList("filters.sensorIds"));
        Api.asAdmin().delete("/api/v1/forwarding-rules/" + created.getString("id")).then().statusCode(204);
    }

    @Test
    void updateKeepsActionsSentWithTheirIdAndRemovesTheOthers() {
        JsonPath created = Api.asAdmin().body(Rules.forSensors(List.of(), List.of(Rules.webhook("http://127.0.0.1:1/a"),
                Rules.webhook("http://127.0.0.1:1/b")))).post("/api/v1/forwarding-rules").then().statusCode(201)
                .extract().jsonPath();
        String id = created.getString("id");
        String kept = created.getString("actions[1].id");

        Map<String, Object> update = Rules.forSensors(List.of(), List.of(
                action(Rules.webhook("http://127.0.0.1:1/b2"), "id", kept), Rules.syslog(514, "UDP", "JSON")));
        JsonPath updated = Api.asAdmin().body(update).put("/api/v1/forwarding-rules/" + id).then().statusCode(200)
                .extract().jsonPath();

        assertEquals(kept, updated.getString("actions[0].id"));
        assertEquals("http://127.0.0.1:1/b2", updated.getString("actions[0].url"));
        assertEquals("SYSLOG", updated.getString("actions[1].type"));
        assertEquals(2, updated.getList("actions").size());
        Api.asAdmin().body(Rules.forSensors(List.of(), List.of(action(Rules.webhook("http://x/"), "id",
                UUID.randomUUID().toString())))).put("/api/v1/forwarding-rules/" + id).then().statusCode(400)
                .body("detail", startsWith("actions[0].id:"));
        Api.asAdmin().delete("/api/v1/forwarding-rules/" + id).then().statusCode(204);
        Api.asAdmin().get("/api/v1/forwarding-rules/" + id).then().statusCode(404);
    }

    @Test
    void eachBadFieldIsA400NamingItAndNothingIsSaved() {
        Map<String, Object> syslog = Rules.syslog(514, "TCP", "CEF");
        Map<String, Object> webhook = Rules.webhook("https://siem.example.com/hook");
        Map<String, Map<String, Object>> cases = new java.util.LinkedHashMap<>();
        cases.put("actions[0].host:", rule(action(syslog, "host", "exa mple.com")));
        cases.put("actions[0].port:", rule(action(syslog, "port", 70000)));
        cases.put("actions[0].format:", rule(action(syslog, "format", "XML")));
        cases.put("actions[0].transport:", rule(action(syslog, "transport", "SCTP")));
        cases.put("actions[0].timeZone:", rule(action(syslog, "timeZone", "Mars/Olympus")));
        cases.put("actions[0].url:", rule(action(webhook, "url", "ftp://siem.example.com/drop")));
        cases.put("actions[0].headers:", rule(action(webhook, "headers", Map.of("X Bad:Key", "v"))));
        cases.put("actions[0].caCertificatePem:", rule(action(webhook, "caCertificatePem", "-----BEGIN CERTIFICATE-----\nnope\n")));
        cases.put("actions[0].type:", rule(Map.of("type", "PIGEON")));
        cases.put("minSeverity:", Rules.with(rule(webhook), "minSeverity", "SEVERE"));
        cases.put("filters.zoneIds:", Rules.with(rule(webhook), "filters", Map.of("zoneIds", List.of(UUID.randomUUID().toString()))));
        cases.put("filters.siteIds:", Rules.with(rule(webhook), "filters", Map.of("siteIds", List.of(UUID.randomUUID().toString()))));
        cases.put("filters.labels[1]:", Rules.with(rule(webhook), "filters", Map.of("labels", List.of("env=prod", "bad key=x"))));
        cases.put("filters.labels[0]:", Rules.with(rule(webhook), "filters", Map.of("labels", List.of("env= padded "))));
        cases.put("actions:", Rules.with(rule(webhook), "actions", List.of()));
        int before = ruleCount();

        cases.forEach((field, body) -> Api.asAdmin().body(body).post("/api/v1/forwarding-rules").then()
                .statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo(Problem.TYPE_PREFIX + "invalid-request"))
                .body("detail", containsString(field)));

        assertEquals(before, ruleCount(), "nothing saved");
    }

    @Test
    void sendTestMessageReturnsWhatTheReceiverAnswered() {
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            JsonPath created = Api.asAdmin().body(rule(action(Rules.webhook(receiver.url()), "headers",
                    Map.of("Authorization", "Bearer s3cret")))).post("/api/v1/forwarding-rules").then().statusCode(201)
                    .extract().jsonPath();

            JsonPath result = Api.asAdmin().post("/api/v1/forwarding-rules/" + created.getString("id") + "/actions/"
                    + created.getString("actions[0].id") + "/test").then().statusCode(200).extract().jsonPath();

            assertTrue(result.getBoolean("delivered"));
            assertEquals("HTTP 200: {\"accepted\":true}", result.getString("answer"));
            WebhookReceiver.Received got = receiver.received().getFirst();
            assertEquals(result.getString("eventId"), got.eventIdHeader());
            assertEquals("TEST_MESSAGE", got.json().get("type").asText());
            assertEquals("Bearer s3cret", got.header("Authorization"));
            assertEquals("application/json", got.header("Content-Type"));

            receiver.answer(503);
            Api.asAdmin().body(Rules.webhook(receiver.url())).post("/api/v1/forwarding-rules/test-action").then()
                    .statusCode(200).body("delivered", equalTo(false)).body("answer", startsWith("HTTP 503"));
        }
    }

    @Test
    void testMessageToAClosedSyslogPortSaysTheConnectionWasRefused() throws Exception {
        int closed = ThrowawayPostgres.freePort();
        JsonPath result = Api.asAdmin().body(Rules.syslog(closed, "TCP", "RFC5424"))
                .post("/api/v1/forwarding-rules/test-action").then().statusCode(200).extract().jsonPath();
        assertFalse(result.getBoolean("delivered"));
        assertTrue(result.getString("answer").contains("connection refused"), result.getString("answer"));
        Api.asAdmin().body(Rules.syslog(closed, "TCP", "XML")).post("/api/v1/forwarding-rules/test-action").then()
                .statusCode(400).body("detail", startsWith("action.format:"));
    }

    @Test
    void forwardingRulesAreForAdminsOnly() {
        for (String role : List.of(Role.ANALYST_NAME, Role.READ_ONLY_NAME)) {
            RoleTokens.as(keys, role).get("/api/v1/forwarding-rules").then().statusCode(403)
                    .contentType(Problem.MEDIA_TYPE);
            RoleTokens.as(keys, role).body(rule(Rules.webhook("http://127.0.0.1:1/"))).post("/api/v1/forwarding-rules")
                    .then().statusCode(403);
        }
    }
}
