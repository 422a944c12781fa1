package io.sensorfleet.console.web;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sensorfleet.console.support.Api;
import io.sensorfleet.console.support.Browser;
import io.sensorfleet.console.support.PostgresTestResource;
import io.sensorfleet.console.support.SqlFleet;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sensor list with a fleet of 10,000 in the database: first page, paging and filters. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class SensorListAtScaleTest {
    private static final Logger LOG = Logger.getLogger(SensorListAtScaleTest.class);
    private static final int FLEET = 10_000;

    @Inject
    AgroalDataSource db;

    @Test
    void firstPageOfTenThousandSensorsRendersAndPagingAndFiltersWork() throws Exception {
        String prefix = "scale-" + UUID.randomUUID().toString().substring(0, 6) + "-";
        SqlFleet.insert(db, prefix, FLEET);
        Browser admin = Browser.admin();
        admin.get().get("/ui/sensors").then().statusCode(200); // warm-up: template and query plans

        long start = System.nanoTime();
        String first = admin.get().get("/ui/sensors?name=" + prefix).then().statusCode(200).extract().asString();
        LOG.infof("sensor list, first page of %d sensors, rendered in %d ms", FLEET, (System.nanoTime() - start) / 1_000_000);
        assertTrue(first.contains(FLEET + " sensors match"), "total shown");
        assertTrue(first.contains(prefix + "00001") && first.contains(prefix + "00050") && !first.contains(prefix + "00051"));

        start = System.nanoTime();
        String unfiltered = admin.get().get("/ui/sensors").then().statusCode(200).extract().asString();
        LOG.infof("sensor list, first page without filter, rendered in %d ms", (System.nanoTime() - start) / 1_000_000);
        assertTrue(unfiltered.contains("page 1 of"));

        admin.get().get("/ui/sensors?name=" + prefix + "&size=100&page=99").then().statusCode(200)
                .body(containsString(prefix + "09901"), containsString(prefix + "10000"), containsString("page 100 of 100"));
        String disconnected = admin.get().get("/ui/sensors?connectivity=DISCONNECTED&version=2.0.0&name=" + prefix)
                .then().statusCode(200).extract().asString();
        assertTrue(disconnected.contains("500 sensors match"), "every 20th sensor is disconnected and on 2.0.0");
        assertEquals(50, count(disconnected, "class=\"state DISCONNECTED\""));

        String zone = Api.zone("scale");
        admin.form().formParam("action", "assign").formParam("allMatching", "true").formParam("zoneId", zone)
                .formParam("name", prefix).formParam("version", "2.0.0").post("/ui/sensors/bulk").then().statusCode(303);
        admin.get().get("/ui/sensors?zoneId=" + zone).then().body(containsString("1000 sensors match"));
        admin.get().get("/ui/sensors?siteId=" + Api.siteId() + "&name=" + prefix)
                .then().body(containsString("1000 sensors match"));
    }

    private static int count(String html, String needle) {
        Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(html);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
