package io.sensorfleet.console.security;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sensorfleet.console.support.Api;
import io.sensorfleet.console.support.PostgresTestResource;
import io.sensorfleet.protocol.v1.Problem;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Hostile input the outside probe sent, each now a 4xx problem that changes nothing. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class InputValidationResourceTest {

    @Test
    void namesWithControlBidiZeroWidthOrLineBreaksAreRefused() {
        int zones = zoneCount();
        for (String bad : List.of("nul\u0000zone", "esc\u001b[31mred", "two\nlines", "tab\there", "rtl\u202Eenoz",
                "zero\u200Bwidth", "bom\uFEFF", "c1\u0085")) {
            Api.asAdmin().body(Map.of("name", bad + "-" + UUID.randomUUID(), "siteId", Api.siteId()))
                    .post("/api/v1/zones").then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                    .body("status", equalTo(400));
        }
        assertEquals(zones, zoneCount());
        Api.asAdmin().body(Map.of("name", "Zürich — zone ✓ " + UUID.randomUUID(), "siteId", Api.siteId()))
                .post("/api/v1/zones").then().statusCode(201);
    }

    @Test
    void nulInTheLoginNameIsA400ProblemAndAudited() {
        long audited = Api.auditCount();
        given().contentType("application/json").body("{\"username\":\"adm\\u0000in\",\"password\":\"x\"}")
                .post("/api/v1/auth/login").then().statusCode(400).contentType(Problem.MEDIA_TYPE);
        String csrf = "c-" + UUID.randomUUID();
        given().cookie("sf_login_csrf", csrf).formParam("_csrf", csrf).formParam("username", "adm\u0000in")
                .formParam("password", "x").post("/ui/login").then().statusCode(400);
        assertEquals(audited + 2, Api.auditCount());
    }

    @Test
    void nulInFiltersAndPathParametersIsA400() {
        Api.asAdmin().urlEncodingEnabled(false).get("/api/v1/audit?actor=a%00b").then().statusCode(400).contentType(Problem.MEDIA_TYPE);
        Api.asAdmin().urlEncodingEnabled(false).get("/api/v1/sensors/ab%00cd").then().statusCode(400).contentType(Problem.MEDIA_TYPE);
        Api.asAdmin().urlEncodingEnabled(false).get("/api/v1/sensors?name=%1b%5b2J").then().statusCode(400).contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void pagingOutOfRangeOrMalformedIsA400() {
        for (String q : List.of("page=2147483647", "page=-1", "page=abc", "size=0", "size=abc", "size=2147483647",
                "page=1&page=2")) {
            Api.asAdmin().get("/api/v1/sensors?" + q).then().statusCode(400).contentType(Problem.MEDIA_TYPE);
            Api.asAdmin().get("/api/v1/audit?" + q).then().statusCode(400).contentType(Problem.MEDIA_TYPE);
        }
        Api.asAdmin().get("/api/v1/sensors?page=3&size=10").then().statusCode(200);
    }

    @Test
    void malformedEnumAndUuidQueryValuesAreA400NotA404() {
        Api.asAdmin().get("/api/v1/notifications?minSeverity=APOCALYPSE").then().statusCode(400)
                .contentType(Problem.MEDIA_TYPE);
        Api.asAdmin().get("/api/v1/notifications?sensorId=not-a-uuid").then().statusCode(400)
                .contentType(Problem.MEDIA_TYPE);
        Api.asAdmin().get("/api/v1/zones/not-a-uuid").then().statusCode(400).contentType(Problem.MEDIA_TYPE);
        Api.asAdmin().get("/api/v1/zones/" + UUID.randomUUID()).then().statusCode(404);
    }

    @Test
    void duplicateJsonKeysAreA400ProblemAndChangeNothing() {
        int zones = zoneCount();
        String name = "dup-" + UUID.randomUUID();
        Api.asAdmin().body("{\"name\":\"" + name + "\",\"name\":\"other\",\"siteId\":\"" + Api.siteId() + "\"}")
                .post("/api/v1/zones").then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("status", equalTo(400));
        assertEquals(zones, zoneCount());
    }

    @Test
    void aJsonBodySentAsPlainTextIsA415AndChangesNothing() {
        String name = "plain-" + UUID.randomUUID();
        given().header("Authorization", "Bearer " + Api.adminToken()).contentType("text/plain")
                .body("{\"name\":\"" + name + "\",\"siteId\":\"" + Api.siteId() + "\"}").post("/api/v1/zones")
                .then().statusCode(415).contentType(Problem.MEDIA_TYPE).body("status", equalTo(415));
        given().header("Authorization", "Bearer " + Api.adminToken()).contentType("application/x-www-form-urlencoded")
                .formParam("name", name).post("/api/v1/business-units").then().statusCode(415);
        Api.asAdmin().get("/api/v1/zones").then().body("name", not(hasItem(name)));
    }

    private static int zoneCount() {
        return Api.asAdmin().get("/api/v1/zones").then().statusCode(200).extract().jsonPath().getList("$").size();
    }
}
