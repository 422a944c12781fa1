package io.sensorfleet.console.web;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sensorfleet.console.support.Api;
import io.sensorfleet.console.support.Browser;
import io.sensorfleet.console.support.PostgresTestResource;
import io.sensorfleet.console.support.WebhookReceiver;
import io.sensorfleet.console.support.TestFleet;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The pages beyond the daily sensor work: users, forwarding, maintenance, notifications, system. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class WebAdministrationPagesTest {

    @Test
    void administrationPagesAreForAdminsOnly() {
        Browser admin = Browser.admin();
        admin.get().get("/ui/users").then().statusCode(200).body(containsString("Create user"));
        admin.get().get("/ui/forwarding").then().statusCode(200).body(containsString("Create rule"));
        for (String role : new String[]{"SECURITY_ANALYST", "READ_ONLY"}) {
            Browser b = Browser.as(role);
            b.get().get("/ui/users").then().statusCode(403);
            b.get().get("/ui/forwarding").then().statusCode(403);
            b.get().get("/ui").then().body(org.hamcrest.Matchers.not(containsString("href=\"/ui/users\"")));
            for (String page : new String[]{"/ui/notifications", "/ui/maintenance", "/ui/system"}) {
                b.get().get(page).then().statusCode(200);
            }
        }
    }

    @Test
    void adminCreatesAUserAndAnApiTokenShownOnce() {
        Browser admin = Browser.admin();
        String name = "web-" + UUID.randomUUID().toString().substring(0, 8);
        admin.form().formParam("username", name).formParam("password", "short").formParam("role", "READ_ONLY")
                .post("/ui/users").then().statusCode(400);
        admin.form().formParam("username", name).formParam("password", "a-long-enough-password").formParam("role", "READ_ONLY")
                .post("/ui/users").then().statusCode(303);
        Browser.login(name, "a-long-enough-password").get().get("/ui").then().statusCode(200)
                .body(containsString(name + " (READ_ONLY)"));
        admin.form().formParam("description", "ci script").formParam("role", "READ_ONLY").formParam("expiresInDays", "30")
                .post("/ui/users/tokens").then().statusCode(201).body(containsString("id=\"api-token\""));
    }

    @Test
    void disablingAUserEndsTheirWebSessionAtOnce() {
        Browser admin = Browser.admin();
        String name = "web-" + UUID.randomUUID().toString().substring(0, 8);
        admin.form().formParam("username", name).formParam("password", "a-long-enough-password").formParam("role", "ADMIN")
                .post("/ui/users").then().statusCode(303);
        Browser user = Browser.login(name, "a-long-enough-password");
        String id = Api.asAdmin().get("/api/v1/users").then().extract().jsonPath()
                .getString("find { it.username == '" + name + "' }.id");
        admin.form().formParam("id", id).formParam("enabled", "false").post("/ui/users/update").then().statusCode(303);
        user.get().get("/ui").then().statusCode(303).header("Location", containsString("/ui/login"));
    }

    @Test
    void adminCreatesAForwardingRuleAndItsTestMessageReachesTheReceiver() {
        Browser admin = Browser.admin();
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            String name = "web-rule-" + UUID.randomUUID().toString().substring(0, 8);
            admin.form().formParam("name", name).formParam("minSeverity", "WARNING")
                    .formParam("reportSystemNotifications", "true").formParam("type", "WEBHOOK")
                    .formParam("url", receiver.url()).post("/ui/forwarding").then().statusCode(303);
            var rule = Api.asAdmin().get("/api/v1/forwarding-rules?size=500").then().extract().jsonPath();
            String ruleId = rule.getString("items.find { it.name == '" + name + "' }.id");
            String actionId = rule.getString("items.find { it.name == '" + name + "' }.actions[0].id");
            admin.form().post("/ui/forwarding/" + ruleId + "/actions/" + actionId + "/test").then().statusCode(303);
            assertEquals(1, receiver.received().size());
            admin.get().get("/ui/forwarding").then().body(containsString("Test message delivered"));
            admin.get().get("/ui/forwarding/" + ruleId).then().statusCode(200).body(containsString(name));
            admin.form().formParam("name", "bad").formParam("type", "SYSLOG").formParam("port", "99999")
                    .post("/ui/forwarding").then().statusCode(400);
        }
    }

    @Test
    void adminEditsARuleAddingAnActionAndFiltersWithTheApisValidation() {
        Browser admin = Browser.admin();
        String key = "web-" + UUID.randomUUID().toString().substring(0, 8);
        String name = "edit-rule-" + key;
        // A label no sensor has: the rule takes nothing from other tests.
        String ruleId = Api.asAdmin().body(java.util.Map.of("name", name, "minSeverity", "WARNING",
                        "reportSystemNotifications", true, "filters", java.util.Map.of("labels", java.util.List.of(key + "=x")),
                        "actions", java.util.List.of(java.util.Map.of("type", "WEBHOOK", "url", "https://192.0.2.1/hook"))))
                .post("/api/v1/forwarding-rules").then().statusCode(201).extract().path("id");
        String first = Api.asAdmin().get("/api/v1/forwarding-rules/" + ruleId).then().extract().path("actions[0].id");
        admin.get().get("/ui/forwarding/" + ruleId + "/edit").then().statusCode(200)
                .body(containsString("value=\"" + name + "\"")).body(containsString("https://192.0.2.1/hook"));

        admin.form().formParam("name", name).formParam("minSeverity", "MAJOR").formParam("enabled", "true")
                .formParam("reportSystemNotifications", "true").formParam("reportAlerts", "true")
                .formParam("siteIds", Api.siteId()).formParam("labels", key + "=x, " + key + "-rack")
                .formParam("actionId", first, "").formParam("type", "WEBHOOK", "SYSLOG").formParam("host", "", "192.0.2.10")
                .formParam("port", "", "514").formParam("transport", "UDP", "TCP").formParam("format", "CEF", "LEEF")
                .formParam("timeZone", "", "").formParam("url", "https://192.0.2.1/hook", "")
                .post("/ui/forwarding/" + ruleId + "/edit").then().statusCode(303);
        var saved = Api.asAdmin().get("/api/v1/forwarding-rules/" + ruleId).then().extract().jsonPath();
        assertEquals("MAJOR", saved.getString("minSeverity"));
        assertEquals(first, saved.getString("actions[0].id"), "the existing action is changed in place");
        assertEquals("LEEF", saved.getString("actions[1].format"));
        assertEquals("TCP", saved.getString("actions[1].transport"));
        assertEquals(java.util.List.of(Api.siteId()), saved.getList("filters.siteIds"));
        assertEquals(java.util.List.of(key + "=x", key + "-rack"), saved.getList("filters.labels"));
        admin.get().get("/ui/forwarding").then().body(containsString("label " + key + "-rack"));

        admin.form().formParam("name", name).formParam("minSeverity", "MAJOR").formParam("reportAlerts", "true")
                .formParam("labels", "bad key").formParam("actionId", first).formParam("type", "WEBHOOK")
                .formParam("url", "https://192.0.2.1/hook").post("/ui/forwarding/" + ruleId + "/edit").then().statusCode(400)
                .body(containsString("filters.labels[0]"));
        assertEquals(2, Api.asAdmin().get("/api/v1/forwarding-rules/" + ruleId).then().extract().jsonPath()
                .getList("actions").size(), "a refused edit changes nothing");

        String second = saved.getString("actions[1].id");
        admin.form().formParam("name", name).formParam("minSeverity", "MAJOR").formParam("reportAlerts", "true")
                .formParam("actionId", first, second, "").formParam("type", "WEBHOOK", "SYSLOG", "")
                .formParam("host", "", "192.0.2.10", "").formParam("port", "", "514", "").formParam("transport", "UDP", "TCP", "UDP")
                .formParam("format", "CEF", "LEEF", "CEF").formParam("timeZone", "", "", "")
                .formParam("url", "https://192.0.2.1/hook", "", "").formParam("remove", first)
                .post("/ui/forwarding/" + ruleId + "/edit").then().statusCode(303);
        var trimmed = Api.asAdmin().get("/api/v1/forwarding-rules/" + ruleId).then().extract().jsonPath();
        assertEquals(java.util.List.of(second), trimmed.getList("actions.id"));
        assertEquals(java.util.List.of(), trimmed.getList("filters.labels"), "cleared filters are saved cleared");
        Api.asAdmin().delete("/api/v1/forwarding-rules/" + ruleId).then().statusCode(204);
    }

    @Inject
    TestFleet fleet;

    @Test
    void analystOpensAndClosesAMaintenanceWindowAndReadOnlyCannot() {
        String sensor = TestFleet.id(fleet.reporting()).toString();
        String ticket = "CHG-" + UUID.randomUUID().toString().substring(0, 8);
        Browser.as("READ_ONLY").form().formParam("ticketId", ticket).formParam("ttlMinutes", "30")
                .formParam("sensorIds", sensor).post("/ui/maintenance").then().statusCode(403);
        Browser analyst = Browser.as("SECURITY_ANALYST");
        analyst.form().formParam("ticketId", ticket).formParam("ttlMinutes", "30").formParam("sensorIds", sensor)
                .post("/ui/maintenance").then().statusCode(303);
        analyst.get().get("/ui/maintenance").then().body(containsString(ticket));
        analyst.form().formParam("ticketId", ticket).post("/ui/maintenance/close").then().statusCode(303);
        Api.asAdmin().get("/api/v1/maintenance-windows?ticketId=" + ticket).then().body("items[0].state", equalTo("CLOSED"));
    }

    @Test
    void adminTurnsCertificateValidationOffAndOnAndABadCertificateIsRefused() {
        Browser admin = Browser.admin();
        admin.form().formParam("enabled", "false").post("/ui/system/validation").then().statusCode(303);
        admin.get().get("/ui/system").then().body(containsString("id=\"validation-state\">off<"));
        admin.form().formParam("enabled", "true").post("/ui/system/validation").then().statusCode(303);
        admin.get().get("/ui/system").then().body(containsString("id=\"validation-state\">on<"));
        admin.get().multiPart("_csrf", admin.csrf).multiPart("certificate", "not a certificate")
                .multiPart("privateKey", "nor a key").post("/ui/system/certificate").then().statusCode(400);
        admin.get().multiPart("certificate", "no csrf").post("/ui/system/certificate").then().statusCode(403);
    }
}
