package io.sensorfleet.console.web;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.sensorfleet.console.certificates.InternalCa;
import io.sensorfleet.console.support.Api;
import io.sensorfleet.console.support.Browser;
import io.sensorfleet.console.support.PostgresTestResource;
import io.sensorfleet.console.support.TestFleet;
import io.sensorfleet.console.support.WebhookReceiver;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rule edit form with every field of a rule: the sensors it is limited to, several actions
 * with webhook headers (write-only values) and CA certificates, and every filter. The form is
 * posted back as a browser would post it, fields read from the page itself.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class ForwardingRuleFormTest {
    private static final String SECRET = "Bearer s3cret-" + UUID.randomUUID();
    /** A header value no name on the page can contain by chance (random names hold hex UUIDs). */
    private static final String TENANT = "tenant-value-zqx";

    @Inject
    TestFleet fleet;
    @Inject
    InternalCa ca;

    @Test
    void everyFieldOfARuleRoundTripsThroughTheFormUnchanged() {
        Browser admin = Browser.admin();
        String key = "rt-" + UUID.randomUUID().toString().substring(0, 8);
        String sensor = TestFleet.id(fleet.reporting()).toString();
        String zone = Api.zone("fwd-form");
        String pem = ca.certificatePem();
        Map<String, Object> webhook = Map.of("type", "WEBHOOK", "url", "https://192.0.2.1/hook",
                "headers", Map.of("Authorization", SECRET, "X-Tenant", "tenant-secret-7"), "caCertificatePem", pem);
        Map<String, Object> tls = Map.of("type", "SYSLOG", "host", "192.0.2.10", "port", 6514, "transport", "TLS",
                "format", "RFC5424", "timeZone", "Europe/Paris", "caCertificatePem", pem);
        Map<String, Object> udp = Map.of("type", "SYSLOG", "host", "192.0.2.11", "port", 514, "transport", "UDP",
                "format", "CEF");
        String ruleId = create(Map.of("name", "form-" + key, "enabled", false, "minSeverity", "MAJOR",
                "reportSystemNotifications", true, "reportAlerts", true,
                "filters", Map.of("protocols", List.of("Modbus", "DNP3"), "engines", List.of("suricata"),
                        "zoneIds", List.of(zone), "siteIds", List.of(Api.siteId()), "sensorIds", List.of(sensor),
                        "labels", List.of(key + "=x", key + "-rack")),
                "actions", List.of(webhook, tls, udp)));
        JsonPath before = rule(ruleId);

        String page = admin.get().get("/ui/forwarding/" + ruleId + "/edit").then().statusCode(200)
                .body(containsString("Authorization")).body(containsString("X-Tenant"))
                .body(containsString("A value is set.")).body(containsString("-----BEGIN CERTIFICATE-----"))
                .extract().asString();
        assertFalse(page.contains("s3cret-") || page.contains("tenant-secret-7"), "header values are never in the page");
        assertTrue(page.contains("value=\"" + sensor + "\" checked"), "the rule's sensor is ticked in the picker");

        post(admin, page, Map.of()).post("/ui/forwarding/" + ruleId + "/edit").then().statusCode(303);
        JsonPath after = rule(ruleId);
        for (String field : List.of("name", "enabled", "minSeverity", "reportSystemNotifications", "reportAlerts", "filters")) {
            assertEquals(before.getString(field), after.getString(field), field);
        }
        assertEquals(before.getList("actions.id"), after.getList("actions.id"));
        for (String field : List.of("type", "host", "port", "transport", "format", "timeZone", "url", "headers",
                "caCertificatePem")) {
            assertEquals(before.getString("actions." + field), after.getString("actions." + field), field);
        }
        assertEquals("[" + sensor + "]", after.getString("filters.sensorIds"));
        Api.asAdmin().delete("/api/v1/forwarding-rules/" + ruleId).then().statusCode(204);
    }

    @Test
    void aHeaderLeftBlankKeepsItsSecretAndANewOneIsAddedWithThePickedSensors() {
        Browser admin = Browser.admin();
        String sensor = TestFleet.id(fleet.reporting()).toString();
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            String ruleId = create(Map.of("name", "secret-" + UUID.randomUUID(), "minSeverity", "WARNING",
                    "reportSystemNotifications", true, "actions", List.of(Map.of("type", "WEBHOOK", "url", receiver.url(),
                            "headers", Map.of("Authorization", SECRET)))));
            String page = admin.get().get("/ui/forwarding/" + ruleId + "/edit").then().statusCode(200).extract().asString();
            post(admin, page, Map.of("headerName", List.of("Authorization", "X-Tenant", ""),
                    "headerValue", List.of("", TENANT, ""), "sensorId", List.of(sensor)))
                    .post("/ui/forwarding/" + ruleId + "/edit").then().statusCode(303);
            JsonPath saved = rule(ruleId);
            assertEquals(Map.of("Authorization", "(set)", "X-Tenant", "(set)"), saved.getMap("actions[0].headers"));
            assertEquals(List.of(sensor), saved.getList("filters.sensorIds"));
            admin.get().get("/ui/forwarding/" + ruleId + "/edit").then().body(not(containsString(TENANT)));

            String actionId = saved.getString("actions[0].id");
            admin.form().post("/ui/forwarding/" + ruleId + "/actions/" + actionId + "/test").then().statusCode(303);
            assertEquals(1, receiver.received().size());
            assertEquals(SECRET, receiver.received().getFirst().header("Authorization"), "the stored secret is kept");
            assertEquals(TENANT, receiver.received().getFirst().header("X-Tenant"));

            page = admin.get().get("/ui/forwarding/" + ruleId + "/edit").then().extract().asString();
            post(admin, page, Map.of("headerName", List.of("", "X-Tenant", "", ""), "headerValue", List.of("", "", "", ""),
                    "sensorId", List.of())).post("/ui/forwarding/" + ruleId + "/edit").then().statusCode(303);
            saved = rule(ruleId);
            assertEquals(Map.of("X-Tenant", "(set)"), saved.getMap("actions[0].headers"), "a cleared name removes its header");
            assertEquals(List.of(), saved.getList("filters.sensorIds"), "no sensor ticked: any sensor");
            Api.asAdmin().delete("/api/v1/forwarding-rules/" + ruleId).then().statusCode(204);
        }
    }

    @Test
    void aBadCaCertificateIsRefusedNextToItsFieldAndNothingChanges() {
        Browser admin = Browser.admin();
        String ruleId = create(Map.of("name", "bad-ca-" + UUID.randomUUID(), "minSeverity", "WARNING",
                "reportSystemNotifications", true, "actions", List.of(Map.of("type", "WEBHOOK", "url", "https://192.0.2.1/hook",
                        "headers", Map.of("Authorization", SECRET)))));
        JsonPath before = rule(ruleId);
        String page = admin.get().get("/ui/forwarding/" + ruleId + "/edit").then().extract().asString();
        String refused = post(admin, page, Map.of("caCertificatePem", List.of("-----BEGIN CERTIFICATE-----\nnope\n", ""),
                "name", List.of("renamed")))
                .post("/ui/forwarding/" + ruleId + "/edit").then().statusCode(400)
                .body(containsString("id=\"ed-ca-1-error\">actions[0].caCertificatePem: "))
                .body(containsString("aria-describedby=\"ed-ca-1-error\""))
                .body(containsString("value=\"renamed\"")).body(containsString("nope"))
                .extract().asString();
        assertFalse(refused.contains("s3cret-"), "the refused form does not show the header value either");
        assertEquals(before.getString("name"), rule(ruleId).getString("name"), "a refused form changes nothing");
        assertEquals(before.getString("actions"), rule(ruleId).getString("actions"));
        Api.asAdmin().delete("/api/v1/forwarding-rules/" + ruleId).then().statusCode(204);
    }

    @Test
    void aBadHeaderNameAndOtherProblemsAreEachShownNextToTheirField() {
        Browser admin = Browser.admin();
        String ruleId = create(Map.of("name", "bad-header-" + UUID.randomUUID(), "minSeverity", "WARNING",
                "reportSystemNotifications", true, "actions", List.of(Map.of("type", "WEBHOOK", "url", "https://192.0.2.1/hook"))));
        JsonPath before = rule(ruleId);
        String page = admin.get().get("/ui/forwarding/" + ruleId + "/edit").then().extract().asString();
        post(admin, page, Map.of("headerName", List.of("Bad Header", ""), "headerValue", List.of("v", ""),
                "labels", List.of("bad key"), "type", List.of("WEBHOOK", "SYSLOG"), "host", List.of("", "not a host!"),
                "port", List.of("", "514")))
                .post("/ui/forwarding/" + ruleId + "/edit").then().statusCode(400)
                .body(containsString("id=\"ed-headers-1-error\">actions[0].headers: &#39;Bad Header&#39; is not a valid header name"))
                .body(containsString("id=\"ed-labels-error\">filters.labels[0]: give key=value or key;"))
                .body(containsString("id=\"ed-host-new-error\">actions[1].host: "))
                .body(containsString("value=\"Bad Header\""));
        post(admin, page, Map.of("reportSystemNotifications", List.of(), "port", List.of("", "x"),
                "type", List.of("WEBHOOK", "SYSLOG"), "host", List.of("", "192.0.2.1")))
                .post("/ui/forwarding/" + ruleId + "/edit").then().statusCode(400)
                .body(containsString("id=\"ed-port-new-error\">actions[1].port: a number from 1 to 65535"));
        post(admin, page, Map.of("reportSystemNotifications", List.of()))
                .post("/ui/forwarding/" + ruleId + "/edit").then().statusCode(400)
                .body(containsString("id=\"ed-reports-error\">reportSystemNotifications, reportAlerts: "));
        assertEquals(before.getString("actions"), rule(ruleId).getString("actions"), "a refused form changes nothing");
        assertEquals(before.getString("filters"), rule(ruleId).getString("filters"));
        Api.asAdmin().delete("/api/v1/forwarding-rules/" + ruleId).then().statusCode(204);
    }

    private static String create(Map<String, Object> rule) {
        return Api.asAdmin().body(rule).post("/api/v1/forwarding-rules").then().statusCode(201).extract().path("id");
    }

    private static JsonPath rule(String id) {
        return Api.asAdmin().get("/api/v1/forwarding-rules/" + id).then().statusCode(200).extract().jsonPath();
    }

    /** The edit form's fields as a browser posts them, some replaced by {@code changed}. */
    private static RequestSpecification post(Browser admin, String page, Map<String, List<String>> changed) {
        Map<String, List<String>> fields = fields(page.substring(page.indexOf("aria-label=\"Edit forwarding rule\"")));
        fields.putAll(changed);
        fields.remove("_csrf");
        RequestSpecification r = admin.form();
        fields.forEach((name, values) -> {
            if (!values.isEmpty()) {
                r.formParam(name, values.toArray());
            }
        });
        return r;
    }

    private static final Pattern INPUT = Pattern.compile("<input\\s([^>]*)>");
    private static final Pattern SELECT = Pattern.compile("<select\\s([^>]*)>(.*?)</select>", Pattern.DOTALL);
    private static final Pattern OPTION = Pattern.compile("<option([^>]*)>([^<]*)</option>");
    private static final Pattern TEXTAREA = Pattern.compile("<textarea\\s([^>]*)>(.*?)</textarea>", Pattern.DOTALL);
    private static final Pattern ATTRIBUTE = Pattern.compile("([a-zA-Z-]+)(?:=\"([^\"]*)\")?");

    /** What a browser submits of a form: checked boxes, selected options, every other named field. */
    static Map<String, List<String>> fields(String form) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        Matcher m = INPUT.matcher(form);
        while (m.find()) {
            Map<String, String> a = attributes(m.group(1));
            if (a.containsKey("name") && (!"checkbox".equals(a.get("type")) || a.containsKey("checked"))) {
                out.computeIfAbsent(a.get("name"), k -> new ArrayList<>()).add(a.getOrDefault("value", ""));
            }
        }
        m = SELECT.matcher(form);
        while (m.find()) {
            Map<String, String> a = attributes(m.group(1));
            List<String> values = out.computeIfAbsent(a.get("name"), k -> new ArrayList<>());
            List<String> chosen = new ArrayList<>();
            String first = null;
            Matcher o = OPTION.matcher(m.group(2));
            while (o.find()) {
                Map<String, String> oa = attributes(o.group(1));
                String value = oa.containsKey("value") ? oa.get("value") : unescape(o.group(2).strip());
                first = first == null ? value : first;
                if (oa.containsKey("selected")) {
                    chosen.add(value);
                }
            }
            if (chosen.isEmpty() && !a.containsKey("multiple") && first != null) {
                chosen.add(first);
            }
            values.addAll(chosen);
        }
        m = TEXTAREA.matcher(form);
        while (m.find()) {
            out.computeIfAbsent(attributes(m.group(1)).get("name"), k -> new ArrayList<>()).add(unescape(m.group(2)));
        }
        return out;
    }

    private static Map<String, String> attributes(String tag) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = ATTRIBUTE.matcher(tag);
        while (m.find()) {
            out.put(m.group(1), m.group(2) == null ? "" : unescape(m.group(2)));
        }
        return out;
    }

    private static String unescape(String s) {
        return s.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }
}
