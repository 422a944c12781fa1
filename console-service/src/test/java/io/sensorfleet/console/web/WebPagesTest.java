package io.sensorfleet.console.web;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sensorfleet.console.support.Api;
import io.sensorfleet.console.support.Browser;
import io.sensorfleet.console.support.PostgresTestResource;
import io.sensorfleet.console.support.TestFleet;
import io.sensorfleet.console.support.TestSensor;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class WebPagesTest {
    private static final String[] PAGES = {"/ui", "/ui/sensors", "/ui/zones", "/ui/connection-strings", "/ui/settings",
            "/ui/settings/filter", "/ui/backups", "/ui/audit", "/ui/preferences"};

    @Inject
    TestFleet fleet;

    @Test
    void everyPageRendersForEveryRole() {
        for (String role : new String[]{"ADMIN", "SECURITY_ANALYST", "READ_ONLY"}) {
            Browser b = Browser.as(role);
            for (String page : PAGES) {
                b.get().get(page).then().statusCode(200).body(containsString("</html>"));
            }
        }
    }

    @Test
    void readOnlyUserSeesNoMutatingControlsAndAForgedPostIsRefused() {
        TestSensor sensor = fleet.reporting();
        String id = TestFleet.id(sensor).toString();
        Browser readOnly = Browser.as("READ_ONLY");
        for (String page : new String[]{"/ui/sensors", "/ui/zones", "/ui/connection-strings", "/ui/settings",
                "/ui/backups", "/ui/sensors/" + id}) {
            String html = readOnly.get().get(page).then().statusCode(200).extract().asString();
            assertEquals(0, formsOtherThanLogoutIn(html), page + " offers a form to a read-only user");
            assertFalse(html.contains("name=\"action\""), page);
        }
        long audits = Api.auditCount();
        readOnly.form().post("/ui/sensors/" + id + "/delete").then().statusCode(403);
        readOnly.form().formParam("name", "forged").formParam("siteId", Api.siteId()).post("/ui/zones/zone")
                .then().statusCode(403);
        readOnly.form().formParam("description", "forged").post("/ui/connection-strings").then().statusCode(403);
        Api.asAdmin().get("/api/v1/sensors/" + id).then().statusCode(200);
        assertEquals(audits + 3, Api.auditCount(), "refusals are audited too");
    }

    @Test
    void adminCreatesAConnectionStringShownOnceAndRevokesAnother() {
        Browser admin = Browser.admin();
        String html = admin.form().formParam("description", "web-created").post("/ui/connection-strings")
                .then().statusCode(201).body(containsString("id=\"connection-string\"")).extract().asString();
        Matcher m = Pattern.compile("id=\"connection-string\">([^<]+)<").matcher(html);
        assertTrue(m.find());
        String listed = admin.get().get("/ui/connection-strings").asString();
        assertFalse(listed.contains(m.group(1).strip()), "the token is shown only once");
        String id = Api.asAdmin().get("/api/v1/connection-strings?status=ACTIVE").then().extract().path("items[0].id");
        admin.form().formParam("id", id).post("/ui/connection-strings/revoke").then().statusCode(303);
        Api.asAdmin().get("/api/v1/connection-strings/" + id).then().body(containsString("REVOKED"));
    }

    @Test
    void sensorIsAssignedThroughTheTreeAndItsTimeZoneIsSetThroughTheEditor() {
        TestSensor sensor = fleet.reporting();
        String id = TestFleet.id(sensor).toString();
        String zone = Api.zone("web");
        Browser admin = Browser.admin();
        admin.form().formParam("sensorId", id).formParam("zoneId", zone).post("/ui/zones/assign").then().statusCode(303);
        Api.asAdmin().get("/api/v1/sensors/" + id).then().body("zoneId", org.hamcrest.Matchers.equalTo(zone));
        admin.get().get("/ui/zones").then().body(containsString("1 sensor assigned"));

        admin.form().formParam("scope", "SENSOR").formParam("id", id).formParam("v.time.timeZone", "Europe/Berlin")
                .post("/ui/settings").then().statusCode(303);
        Api.asAdmin().get("/api/v1/settings/sensors/" + id).then().body("values.'time.timeZone'",
                org.hamcrest.Matchers.equalTo("Europe/Berlin"));
        admin.form().formParam("scope", "SENSOR").formParam("id", id).formParam("v.time.timeZone", "Mars/Base")
                .post("/ui/settings").then().statusCode(400).body(containsString("time.timeZone"));
        admin.get().get("/ui/sensors/" + id).then().statusCode(200).body(containsString("Europe/Berlin"));

        String other = TestFleet.id(fleet.reporting()).toString();
        String otherZone = Api.zone("web-copy");
        Api.asAdmin().body(Map.of("zoneId", otherZone, "sensorIds", java.util.List.of(other)))
                .post("/api/v1/sensors/assignment").then().statusCode(200);
        admin.form().formParam("zoneId", otherZone).post("/ui/sensors/" + id + "/duplicate").then().statusCode(303);
        Api.asAdmin().get("/api/v1/settings/sensors/" + other).then().body("values.'time.timeZone'",
                org.hamcrest.Matchers.equalTo("Europe/Berlin"));
    }

    @Test
    void settingsForAFilterShowHowManySensorsMatchThenApplyToThoseOnly() {
        String labelled = TestFleet.id(fleet.reporting()).toString();
        String other = TestFleet.id(fleet.reporting()).toString();
        String batch = java.util.UUID.randomUUID().toString().substring(0, 8);
        Api.asAdmin().body(Map.of("sensorIds", java.util.List.of(labelled), "set", Map.of("batch", batch)))
                .post("/api/v1/sensors/labels").then().statusCode(200);
        Browser admin = Browser.admin();
        admin.get().queryParam("label", "batch=" + batch).get("/ui/settings/filter").then().statusCode(200)
                .body(containsString("id=\"matching-count\">1<")).body(containsString("Apply to 1 sensor<"));
        Browser.as("READ_ONLY").get().queryParam("label", "batch=" + batch).get("/ui/settings/filter").then()
                .statusCode(200).body(not(containsString("apply-filter-settings")));

        admin.form().formParam("label", "batch=" + batch).formParam("v.time.timeZone", "Mars/Base")
                .post("/ui/settings/filter").then().statusCode(400).body(containsString("time.timeZone"));
        admin.form().formParam("label", "batch=" + batch).post("/ui/settings/filter").then().statusCode(400)
                .body(containsString("at least one setting"));
        admin.form().formParam("label", "bad key!").formParam("v.time.timeZone", "Europe/Oslo")
                .post("/ui/settings/filter").then().statusCode(400);
        admin.form().formParam("label", "batch=nobody-" + batch).formParam("v.time.timeZone", "Europe/Oslo")
                .post("/ui/settings/filter").then().statusCode(400).body(containsString("no sensor matches"));
        Browser.as("READ_ONLY").form().formParam("label", "batch=" + batch).formParam("v.time.timeZone", "Europe/Oslo")
                .post("/ui/settings/filter").then().statusCode(403);
        Api.asAdmin().get("/api/v1/settings/sensors/" + labelled).then()
                .body("values.'time.timeZone'", org.hamcrest.Matchers.nullValue());

        admin.form().formParam("label", "batch=" + batch).formParam("v.time.timeZone", "Europe/Oslo")
                .post("/ui/settings/filter").then().statusCode(303);
        Api.asAdmin().get("/api/v1/settings/sensors/" + labelled).then()
                .body("values.'time.timeZone'", org.hamcrest.Matchers.equalTo("Europe/Oslo"));
        Api.asAdmin().get("/api/v1/settings/sensors/" + other).then()
                .body("values.'time.timeZone'", org.hamcrest.Matchers.nullValue());
        // Other test classes share this console and write audit rows of their own meanwhile.
        Api.asAdmin().queryParam("action", "Change settings of many sensors").queryParam("size", 1)
                .get("/api/v1/audit").then().body("items[0].action", equalTo("Change settings of many sensors"))
                .body("items[0].result", equalTo(303)).body("items[0].detail", containsString("Europe/Oslo"));
    }

    @Test
    void renamingASensorIssuesAnActivationFileWithTheNewName() {
        String id = TestFleet.id(fleet.reporting()).toString();
        Browser admin = Browser.admin();
        admin.form().formParam("name", "bad name!").post("/ui/sensors/" + id + "/rename").then().statusCode(400);
        admin.form().formParam("name", "plant3-line2").post("/ui/sensors/" + id + "/rename").then().statusCode(303);
        String file = Api.asAdmin().get("/api/v1/sensors/" + id + "/activation").then().statusCode(200)
                .body(containsString("plant3-line2")).extract().path("[0].id");
        admin.get().get("/ui/sensors/" + id).then().body(containsString("plant3-line2"));
        admin.get().get("/ui/sensors/" + id + "/activation/" + file).then().statusCode(200)
                .header("Content-Disposition", containsString("attachment"));
        Browser.as("READ_ONLY").get().get("/ui/sensors/" + id + "/activation/" + file).then().statusCode(403);
    }

    @Test
    void bulkActionsNeedTickedSensorsOrAllMatchingAndValidInput() {
        Browser admin = Browser.admin();
        admin.form().formParam("action", "assign").post("/ui/sensors/bulk").then().statusCode(400);
        admin.form().formParam("action", "explode").formParam("allMatching", "true").post("/ui/sensors/bulk")
                .then().statusCode(400);
        admin.form().formParam("action", "assign").formParam("sensorId", "not-a-uuid").post("/ui/sensors/bulk")
                .then().statusCode(400);
        admin.get().get("/ui/sensors?connectivity=BOGUS").then().statusCode(400);
    }

    @Test
    void timesAreShownInTheOperatorsTimeZoneAndFormat() {
        Browser admin = Browser.login("admin", "test-admin-password");
        admin.form().formParam("timeZone", "Asia/Tokyo").formParam("dateFormat", "yyyy/MM/dd HH:mm:ss")
                .post("/ui/preferences").then().statusCode(303);
        admin.get().get("/ui/preferences").then().body(containsString("value=\"Asia/Tokyo\""));
        admin.form().formParam("timeZone", "Nowhere/City").formParam("dateFormat", "yyyy/MM/dd HH:mm:ss")
                .post("/ui/preferences").then().statusCode(400);
        admin.form().formParam("timeZone", "UTC").formParam("dateFormat", "dd/MM/yyyy HH:mm:ss")
                .post("/ui/preferences").then().statusCode(303);
    }

    @Test
    void htmlInDataIsEscaped() {
        Browser admin = Browser.admin();
        admin.form().formParam("description", "<script>alert(1)</script>").post("/ui/connection-strings")
                .then().statusCode(201);
        admin.get().get("/ui/connection-strings").then().body(not(containsString("<script>alert(1)")));
    }

    private static int formsOtherThanLogoutIn(String html) {
        Matcher m = Pattern.compile("<form[^>]*method=\"post\"[^>]*action=\"([^\"]+)\"").matcher(html);
        int n = 0;
        while (m.find()) {
            if (!m.group(1).equals("/ui/logout")) {
                n++;
            }
        }
        return n;
    }
}
