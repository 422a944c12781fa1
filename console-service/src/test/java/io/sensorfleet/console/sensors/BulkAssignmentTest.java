package io.sensorfleet.console.sensors;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sensorfleet.console.support.Api;
import io.sensorfleet.console.support.PostgresTestResource;
import io.sensorfleet.console.support.SqlFleet;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class BulkAssignmentTest {
    private static final Logger LOG = Logger.getLogger(BulkAssignmentTest.class);
    private static final int FLEET = 20_000;

    @Inject
    AgroalDataSource db;

    private String insertFleet(String namePrefix) throws Exception {
        SqlFleet.insert(db, namePrefix, FLEET);
        return namePrefix;
    }

    @Test
    void twentyThousandSensorsMoveToAZoneInOneRequest() throws Exception {
        String prefix = insertFleet("bulk-" + UUID.randomUUID().toString().substring(0, 8) + "-");
        String zone = Api.zone("bulk");
        long start = System.nanoTime();
        Api.asAdmin().body(Map.of("zoneId", zone, "filter", Map.of("name", prefix))).post("/api/v1/sensors/assignment")
                .then().statusCode(200).body("changed", equalTo(FLEET));
        LOG.infof("assigned %d sensors to a zone in one request in %d ms", FLEET, (System.nanoTime() - start) / 1_000_000);
        Api.asAdmin().get("/api/v1/sensors?size=1&zoneId=" + zone).then().body("total", equalTo(FLEET));

        start = System.nanoTime();
        java.util.List<String> ids = Api.asAdmin().get("/api/v1/sensors?size=1000&zoneId=" + zone).then().extract()
                .jsonPath().getList("items.id");
        java.util.Map<String, Object> unassign = new java.util.HashMap<>();
        unassign.put("zoneId", null);
        unassign.put("sensorIds", ids);
        Api.asAdmin().body(unassign).post("/api/v1/sensors/assignment").then().statusCode(200)
                .body("changed", equalTo(1000));
        LOG.infof("unassigned 1000 listed sensors in %d ms", (System.nanoTime() - start) / 1_000_000);
        Api.asAdmin().get("/api/v1/sensors?size=1&zoneId=" + zone).then().body("total", equalTo(FLEET - 1000));
    }
}
