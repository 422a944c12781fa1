package io.sensorfleet.console.web;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sensorfleet.console.support.Api;
import io.sensorfleet.console.support.Browser;
import io.sensorfleet.console.support.PostgresTestResource;
import io.sensorfleet.console.support.TestFleet;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/**
 * The operator features that were API-only: renaming sites and zones, a sensor's backup space and
 * update history on its page, and picking sensors for a maintenance window by name.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class WebOperatorFeaturesTest {

    @Inject
    TestFleet fleet;

    @Test
    void adminRenamesASiteAndAZoneAndBlankOrForeignInputChangesNothing() {
        String site = Api.siteId();
        String zone = Api.zone("rename-me");
        String siteName = Api.asAdmin().get("/api/v1/sites/" + site).then().extract().path("name");
        Browser admin = Browser.admin();
        admin.form().formParam("siteId", site).formParam("name", " ").post("/ui/zones/site/rename").then().statusCode(400);
        admin.form().formParam("siteId", "not-an-id").formParam("name", "x").post("/ui/zones/site/rename").then().statusCode(400);
        admin.form().formParam("zoneId", zone).formParam("name", "z".repeat(101)).post("/ui/zones/zone/rename").then().statusCode(400);
        Api.asAdmin().get("/api/v1/sites/" + site).then().body("name", equalTo(siteName));
        Browser.as("READ_ONLY").form().formParam("zoneId", zone).formParam("name", "mine").post("/ui/zones/zone/rename")
                .then().statusCode(403);

        String newSite = "renamed-site-" + UUID.randomUUID().toString().substring(0, 6);
        admin.form().formParam("siteId", site).formParam("name", newSite).post("/ui/zones/site/rename").then().statusCode(303);
        Api.asAdmin().get("/api/v1/sites/" + site).then().body("name", equalTo(newSite));
        String newZone = "renamed-zone-" + UUID.randomUUID().toString().substring(0, 6);
        admin.form().formParam("zoneId", zone).formParam("name", newZone).post("/ui/zones/zone/rename").then().statusCode(303);
        Api.asAdmin().get("/api/v1/zones/" + zone).then().body("name", equalTo(newZone));
        admin.get().get("/ui/zones").then().body(containsString("Zone renamed to " + newZone)).body(containsString(newSite));
    }

    @Test
    void aSensorsPageSetsItsBackupSpaceAndShowsItsUpdates() {
        String id = TestFleet.id(fleet.reporting()).toString();
        Browser admin = Browser.admin();
        admin.get().get("/ui/sensors/" + id).then().statusCode(200).body(containsString("Software updates"))
                .body(containsString("No update was rolled out to this sensor.")).body(containsString("(the default)"));
        for (String bad : new String[]{"0", "-5", "lots", "99999999999999"}) {
            admin.form().formParam("mebibytes", bad).post("/ui/sensors/" + id + "/backup-allocation").then().statusCode(400);
        }
        admin.form().formParam("mebibytes", "200").post("/ui/sensors/" + id + "/backup-allocation")
                .then().statusCode(303);
        admin.get().get("/ui/sensors/" + id).then().body(containsString("Backup space set to 200 MiB"))
                .body(containsString("(set for this sensor)"));
        Api.asAdmin().get("/api/v1/sensors/" + id + "/backups").then().statusCode(200)
                .body("allocationBytes", equalTo(200 * 1024 * 1024)).body("customAllocation", equalTo(true));
        admin.form().formParam("mebibytes", "").post("/ui/sensors/" + id + "/backup-allocation").then().statusCode(303);
        Api.asAdmin().get("/api/v1/sensors/" + id + "/backups").then().body("customAllocation", equalTo(false));
        Browser.as("SECURITY_ANALYST").form().formParam("mebibytes", "1").post("/ui/sensors/" + id + "/backup-allocation")
                .then().statusCode(403);
        Browser.as("READ_ONLY").get().get("/ui/sensors/" + id).then().statusCode(200)
                .body(containsString("Software updates")).body(not(containsString("backup-allocation")));
    }

    @Test
    void maintenanceSensorsArePickedByNameAndTickedOnesStay() {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        String a = TestFleet.id(fleet.reporting()).toString();
        String b = TestFleet.id(fleet.reporting()).toString();
        String bName = Api.asAdmin().get("/api/v1/sensors/" + b).then().extract().path("name");
        Browser analyst = Browser.as("SECURITY_ANALYST");
        analyst.get().get("/ui/maintenance").then().statusCode(200).body(containsString("Find sensors by name"))
                .body(not(containsString("textarea")));
        // Test sensors share one name: the search narrows to none, and the ticked sensor stays listed and ticked.
        analyst.get().queryParam("q", "no-such-" + suffix).queryParam("sensorId", a).queryParam("sensorId", "junk")
                .get("/ui/maintenance/sensors").then().statusCode(200)
                .body(containsString("value=\"" + a + "\" checked")).body(not(containsString("value=\"" + b + "\"")))
                .body(containsString("0 sensors match"));
        analyst.get().queryParam("q", bName).get("/ui/maintenance/sensors").then().statusCode(200)
                .body(containsString("match “" + bName + "”"));
        Browser.as("READ_ONLY").get().get("/ui/maintenance/sensors?q=x").then().statusCode(403);

        String ticket = "CHG-" + suffix;
        analyst.form().formParam("ticketId", ticket).formParam("ttlMinutes", "30").post("/ui/maintenance").then().statusCode(400);
        analyst.form().formParam("ticketId", ticket).formParam("ttlMinutes", "30").formParam("sensorId", a)
                .formParam("sensorId", b).post("/ui/maintenance").then().statusCode(303);
        Api.asAdmin().get("/api/v1/maintenance-windows?ticketId=" + ticket).then().statusCode(200)
                .body("items[0].sensorIds.size()", equalTo(2));
    }
}
