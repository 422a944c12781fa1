package io.sensorfleet.console.web;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sensorfleet.console.support.Api;
import io.sensorfleet.console.support.Browser;
import io.sensorfleet.console.support.PostgresTestResource;
import io.sensorfleet.console.support.SqlFleet;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The inventory's labels, filters, export and the search box, through the web console. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class InventoryPagesTest {
    @Inject
    AgroalDataSource db;

    @Test
    void everyPageCarriesALabelledSearchBoxWithAShortcut() {
        Browser reader = Browser.as("READ_ONLY");
        for (String page : List.of("/ui", "/ui/sensors", "/ui/audit", "/ui/updates")) {
            reader.get().get(page).then().statusCode(200).body(containsString("<label for=\"find\">Find</label>"),
                    containsString("id=\"find\" name=\"q\" accesskey=\"k\""), containsString("role=\"search\""));
        }
        reader.get().get("/static/app.js").then().statusCode(200).body(containsString("e.key === '/'"));
    }

    @Test
    void labelsAreSetFromTheInventoryFormShownAndFiltered() throws Exception {
        String p = "webl-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        SqlFleet.insert(db, p, 6);
        List<String> ids = Api.asAdmin().get("/api/v1/sensors?name=" + p).then().extract().jsonPath().getList("items.id");
        Browser admin = Browser.admin();

        admin.form().formParam("action", "label-set").formParam("allMatching", "true").formParam("name", p)
                .formParam("labelKey", "site-role").formParam("labelValue", "=core")
                .post("/ui/sensors/bulk").then().statusCode(303);
        admin.form().formParam("action", "label-set").formParam("sensorId", ids.get(0))
                .formParam("labelKey", "owner").formParam("labelValue", "blue")
                .post("/ui/sensors/bulk").then().statusCode(303);
        admin.form().formParam("action", "label-set").formParam("sensorId", ids.get(1))
                .formParam("labelKey", "bad key").formParam("labelValue", "x")
                .post("/ui/sensors/bulk").then().statusCode(400);

        String list = admin.get().get("/ui/sensors?name=" + p + "&label=owner").then().statusCode(200).extract().asString();
        assertTrue(list.contains("1 sensor match"), list);
        assertTrue(list.contains("owner=blue") && list.contains("site-role==core"), list);
        admin.get().get("/ui/sensors?name=" + p + "&label=site-role==core").then().statusCode(200)
                .body(containsString("6 sensors match"), containsString("value=\"site-role==core\""));
        admin.get().get("/ui/sensors?label=bad%20key").then().statusCode(400);
        admin.get().get("/ui/sensors?updateStatus=NONE&name=" + p).then().statusCode(200)
                .body(containsString("6 sensors match"));

        admin.get().get("/ui/sensors/" + ids.get(0)).then().statusCode(200)
                .body(containsString("id=\"labels\""), containsString("owner=blue"),
                        containsString("never updated"), containsString("id=\"last-backup\">none"));

        admin.form().formParam("action", "label-remove").formParam("allMatching", "true").formParam("name", p)
                .formParam("label", "owner").formParam("labelKey", "owner").post("/ui/sensors/bulk").then().statusCode(303);
        admin.get().get("/ui/sensors?name=" + p + "&label=owner").then().body(containsString("0 sensors match"));

        String csv = admin.get().get("/ui/export/sensors?format=csv&name=" + p).then().statusCode(200)
                .extract().asString();
        assertEquals(7, csv.split("\n").length, csv);
        assertTrue(csv.contains("\"site-role==core\""), csv);
        admin.get().get("/ui/export/sensors?format=pdf&name=" + p).then().statusCode(400);
        Browser.as("READ_ONLY").get().get("/ui/export/sensors?format=jsonl&name=" + p).then().statusCode(200)
                .body(containsString("\"labels\":{\"site-role\":\"=core\"}"));
    }

    @Test
    void theSearchPageFindsSensorsAndRefusesBadQueries() throws Exception {
        String p = "webs-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        SqlFleet.insert(db, p, 3);
        Browser reader = Browser.as("READ_ONLY");
        reader.get().get("/ui/search?q=" + p + "00002").then().statusCode(200)
                .body(containsString(p + "00002"), containsString("1 match."), not(containsString(p + "00001")));
        reader.get().get("/ui/search?q=" + p).then().statusCode(200).body(containsString("3 matches."),
                not(containsString("id=\"search-short\"")));
        // The page shows what the API answers, and says when a short text matched starts only.
        assertEquals(java.util.List.of(p + "00001", p + "00002", p + "00003"), io.sensorfleet.console.support.Api
                .as("READ_ONLY").queryParam("q", p).get("/api/v1/sensors/search").then().statusCode(200)
                .extract().jsonPath().getList("name"));
        reader.get().get("/ui/search?q=we").then().statusCode(200).body(containsString("id=\"search-short\""));
        reader.get().get("/ui/search?q=").then().statusCode(400);
        reader.get().get("/ui/search?q=" + "x".repeat(201)).then().statusCode(400);
    }
}
