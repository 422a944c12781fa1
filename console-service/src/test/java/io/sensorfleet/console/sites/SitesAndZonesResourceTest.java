package io.sensorfleet.console.sites;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sensorfleet.console.agentplane.AgentPlaneServer;
import io.sensorfleet.console.certificates.InternalCa;
import io.sensorfleet.console.support.Api;
import io.sensorfleet.console.support.PostgresTestResource;
import io.sensorfleet.console.support.TestSensor;
import io.sensorfleet.protocol.v1.enrollment.ConnectionString;
import io.sensorfleet.protocol.v1.Problem;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class SitesAndZonesResourceTest {
    @Inject
    AgentPlaneServer agentPlane;
    @Inject
    InternalCa ca;

    private static String create(String path, Map<String, Object> body) {
        return Api.asAdmin().body(body).post(path).then().statusCode(201).extract().path("id");
    }

    private String enrolledSensor() {
        TestSensor s = new TestSensor("https://127.0.0.1:" + agentPlane.port(), ca.certificatePem());
        assertEquals(200, s.enroll(ConnectionString.parse(Api.connectionString(Map.of())).token()).statusCode());
        return s.identity().sensorId();
    }

    @Test
    void hierarchyIsCreatedRenamedAndListedWithItsParents() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String bu = create("/api/v1/business-units", Map.of("name", "Utilities " + suffix));
        String region = create("/api/v1/regions", Map.of("name", "North", "businessUnitId", bu));
        String site = create("/api/v1/sites", Map.of("name", "Substation 7", "address", "1 Grid Road", "regionId", region));
        String zone = create("/api/v1/zones", Map.of("name", "Control room", "description", "SCADA", "siteId", site));

        Api.asAdmin().body(Map.of("name", "Substation 7b", "address", "2 Grid Road")).patch("/api/v1/sites/" + site)
                .then().statusCode(200).body("name", equalTo("Substation 7b")).body("address", equalTo("2 Grid Road"))
                .body("regionName", equalTo("North")).body("businessUnitName", equalTo("Utilities " + suffix));
        Api.asAdmin().body(Map.of("name", "Control room A")).patch("/api/v1/zones/" + zone).then().statusCode(200)
                .body("name", equalTo("Control room A")).body("description", equalTo("SCADA"));
        Api.asAdmin().get("/api/v1/zones?siteId=" + site).then().body("name", equalTo(List.of("Control room A")));
        Api.asAdmin().get("/api/v1/regions?businessUnitId=" + bu).then().body("id", equalTo(List.of(region)));
    }

    @Test
    void namesAreUniqueAmongSiblingsOnly() {
        String site = Api.siteId();
        String name = "Line " + UUID.randomUUID();
        create("/api/v1/zones", Map.of("name", name, "siteId", site));
        Api.asAdmin().body(Map.of("name", name.toUpperCase(), "siteId", site)).post("/api/v1/zones").then()
                .statusCode(409).contentType(Problem.MEDIA_TYPE);
        Api.asAdmin().body(Map.of("name", "z", "siteId", UUID.randomUUID().toString())).post("/api/v1/zones").then()
                .statusCode(400).body("detail", containsString("siteId"));
    }

    @Test
    void zoneWithSensorsCannotBeDeletedUntilTheyAreUnassigned() {
        String zone = Api.zone("busy");
        String s1 = enrolledSensor();
        String s2 = enrolledSensor();
        Api.asAdmin().body(Map.of("zoneId", zone, "sensorIds", List.of(s1, s2))).post("/api/v1/sensors/assignment")
                .then().statusCode(200).body("changed", equalTo(2));
        Api.asAdmin().delete("/api/v1/zones/" + zone).then().statusCode(409).contentType(Problem.MEDIA_TYPE)
                .body("detail", containsString("has 2 sensors assigned"));

        Map<String, Object> unassign = new java.util.HashMap<>();
        unassign.put("zoneId", null);
        unassign.put("filter", Map.of("zoneId", zone));
        Api.asAdmin().body(unassign).post("/api/v1/sensors/assignment").then().statusCode(200).body("changed", equalTo(2));
        Api.asAdmin().get("/api/v1/sensors/" + s1).then().body("zoneId", org.hamcrest.Matchers.nullValue());
        Api.asAdmin().delete("/api/v1/zones/" + zone).then().statusCode(204);
    }

    @Test
    void siteWithZonesAndRegionWithSitesCannotBeDeleted() {
        String bu = create("/api/v1/business-units", Map.of("name", "BU " + UUID.randomUUID()));
        String region = create("/api/v1/regions", Map.of("name", "R", "businessUnitId", bu));
        String site = create("/api/v1/sites", Map.of("name", "S", "regionId", region));
        String zone = create("/api/v1/zones", Map.of("name", "Z", "siteId", site));
        Api.asAdmin().delete("/api/v1/sites/" + site).then().statusCode(409).body("detail", containsString("1 zone"));
        Api.asAdmin().delete("/api/v1/regions/" + region).then().statusCode(409);
        Api.asAdmin().delete("/api/v1/business-units/" + bu).then().statusCode(409);
        Api.asAdmin().delete("/api/v1/zones/" + zone).then().statusCode(204);
        Api.asAdmin().delete("/api/v1/sites/" + site).then().statusCode(204);
        Api.asAdmin().delete("/api/v1/regions/" + region).then().statusCode(204);
        Api.asAdmin().delete("/api/v1/business-units/" + bu).then().statusCode(204);
        Api.asAdmin().get("/api/v1/business-units").then().body("id", not(hasItem(bu)));
    }

    @Test
    void inventoryFiltersBySiteRegionAndBusinessUnitAndCountsByState() {
        String bu = create("/api/v1/business-units", Map.of("name", "Hospitals " + UUID.randomUUID()));
        String region = create("/api/v1/regions", Map.of("name", "West", "businessUnitId", bu));
        String site = create("/api/v1/sites", Map.of("name", "St Mary", "regionId", region));
        String zone = create("/api/v1/zones", Map.of("name", "Imaging", "siteId", site));
        String sensor = enrolledSensor();
        Api.asAdmin().body(Map.of("zoneId", zone, "sensorIds", List.of(sensor))).post("/api/v1/sensors/assignment")
                .then().statusCode(200);
        for (String filter : List.of("siteId=" + site, "regionId=" + region, "businessUnitId=" + bu)) {
            Api.asAdmin().get("/api/v1/sensors?" + filter).then().statusCode(200).body("total", equalTo(1))
                    .body("items[0].id", equalTo(sensor));
        }
        Api.asAdmin().get("/api/v1/sensors/counts?groupBy=site").then().statusCode(200)
                .body("find { it.id == '" + site + "' }.total", equalTo(1))
                .body("find { it.id == '" + site + "' }.synced", equalTo(1));
        Api.asAdmin().get("/api/v1/sensors/counts?groupBy=businessUnit").then().statusCode(200)
                .body("find { it.id == '" + bu + "' }.total", equalTo(1));
        Api.asAdmin().get("/api/v1/sensors/counts?groupBy=planet").then().statusCode(400);
    }

    @Test
    void assignmentNeedsExactlyOneOfIdsAndFilterAndAnExistingZone() {
        Api.asAdmin().body(Map.of("zoneId", Api.zone("x"))).post("/api/v1/sensors/assignment").then().statusCode(400);
        Api.asAdmin().body(Map.of("zoneId", UUID.randomUUID().toString(), "filter", Map.of()))
                .post("/api/v1/sensors/assignment").then().statusCode(400).body("detail", containsString("zoneId"));
    }
}
