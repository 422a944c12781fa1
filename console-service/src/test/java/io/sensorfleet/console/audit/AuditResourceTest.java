package io.sensorfleet.console.audit;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.sensorfleet.console.support.Api;
import io.sensorfleet.console.support.PostgresTestResource;
import io.sensorfleet.console.support.TestSensor;
import org.junit.jupiter.api.Test;
import jakarta.inject.Inject;
import io.sensorfleet.console.agentplane.AgentPlaneServer;
import io.sensorfleet.console.certificates.InternalCa;
import io.sensorfleet.protocol.v1.enrollment.ConnectionString;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class AuditResourceTest {

    @Test
    void everySuccessfulOrFailedChangeLeavesExactlyOneRowWithWhoWhatTargetAndResult() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = new ArrayList<>();
        List<Supplier<Response>> changes = List.of(
                () -> Api.asAdmin().body(Map.of("name", "BU " + suffix)).post("/api/v1/business-units"),
                () -> Api.asAdmin().body(Map.of("name", "BU " + suffix)).post("/api/v1/business-units"),
                () -> Api.asAdmin().body(Map.of("name", "BU2 " + suffix)).patch("/api/v1/business-units/" + ids.get(0)),
                () -> Api.asAdmin().body(Map.of("description", "audit")).post("/api/v1/connection-strings"),
                () -> Api.asAdmin().body("{not json").post("/api/v1/zones"),
                () -> Api.asAdmin().delete("/api/v1/business-units/" + ids.get(0)),
                () -> Api.asAdmin().delete("/api/v1/sensors/" + UUID.randomUUID()));
        for (Supplier<Response> change : changes) {
            long before = Api.auditCount();
            Response r = change.get();
            if (r.statusCode() == 201 && ids.isEmpty()) {
                ids.add(r.path("id"));
            }
            assertEquals(before + 1, Api.auditCount(), "exactly one audit row for a change answered " + r.statusCode());
        }
        Api.asAdmin().get("/api/v1/audit?size=7").then().statusCode(200)
                .body("items[0].action", equalTo("Delete a sensor")).body("items[0].result", equalTo(404))
                .body("items[1].action", equalTo("Delete a business unit")).body("items[1].result", equalTo(204))
                .body("items[1].target", equalTo("business-unit:" + ids.get(0)))
                .body("items[2].action", equalTo("Create a zone")).body("items[2].result", equalTo(400))
                .body("items[3].action", equalTo("Create a connection string"))
                .body("items[4].action", equalTo("Rename a business unit"))
                .body("items[5].result", equalTo(409))
                .body("items[6].actor", equalTo("admin")).body("items[6].actorRole", equalTo("ADMIN"))
                .body("items[6].sourceAddress", equalTo("127.0.0.1"));
    }

    @Test
    void failedLoginsAreAuditedUnderTheNameTried() {
        String name = "nobody-" + UUID.randomUUID();
        io.restassured.RestAssured.given().contentType("application/json")
                .body(Map.of("username", name, "password", "guess")).post("/api/v1/auth/login").then().statusCode(401);
        Api.asAdmin().get("/api/v1/audit?actor=" + name).then().body("total", equalTo(1))
                .body("items[0].action", equalTo("Log in")).body("items[0].result", equalTo(401));
    }

    @Inject
    AgentPlaneServer agentPlane;
    @Inject
    InternalCa ca;

    @Test
    void enrollmentIsAuditedAsAChangeMadeByTheSensor() {
        TestSensor s = new TestSensor("https://127.0.0.1:" + agentPlane.port(), ca.certificatePem());
        assertEquals(200, s.enroll(ConnectionString.parse(Api.connectionString(Map.of())).token()).statusCode());
        String actor = "sensor:" + s.identity().sensorId();
        Api.asAdmin().get("/api/v1/audit?actor=" + actor).then().statusCode(200).body("total", equalTo(1))
                .body("items[0].action", equalTo("Sensor enrolled")).body("items[0].target", equalTo(actor));
    }

    @Test
    void exportStreamsCsvAndJsonLinesWithTheSameFilters() {
        String marker = "export-" + UUID.randomUUID();
        String created = Api.asAdmin().body(Map.of("name", marker)).post("/api/v1/business-units").then().statusCode(201)
                .extract().path("id");
        String csv = Api.asAdmin().get("/api/v1/audit/export?format=csv&target=business-unit").then().statusCode(200)
                .contentType(startsWith("text/csv")).extract().asString();
        assertTrue(csv.startsWith("id,at,actor,actor_role,action,method,path,target,result,detail,source_address\n"), csv);
        assertTrue(csv.contains("\"Create a business unit\""), csv);
        String jsonl = Api.asAdmin().queryParam("format", "jsonl").queryParam("actor", "admin")
                .queryParam("action", "business unit").get("/api/v1/audit/export").then().statusCode(200)
                .extract().asString();
        assertTrue(jsonl.contains("business-unit:" + created), jsonl);
        for (String line : jsonl.strip().split("\n")) {
            assertEquals("admin", TestSensor.read(line, Map.class).get("actor"));
        }
        Api.asAdmin().get("/api/v1/audit/export?format=xml").then().statusCode(400);
        Api.asAdmin().get("/api/v1/audit?from=yesterday").then().statusCode(400);
    }

    @Test
    void csvCellsCannotSmuggleFormulas() {
        assertEquals("\"'=HYPERLINK(\"\"x\"\")\"", AuditQuery.csv("=HYPERLINK(\"x\")"));
        assertEquals("\"plain\"", AuditQuery.csv("plain"));
    }
}
