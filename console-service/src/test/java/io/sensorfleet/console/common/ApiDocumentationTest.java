package io.sensorfleet.console.common;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.sensorfleet.console.support.PostgresTestResource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class ApiDocumentationTest {

    @Test
    @SuppressWarnings("unchecked")
    void everyApiOperationHasASummaryAndADescription() {
        JsonPath doc = given().header("Authorization", "Bearer " + io.sensorfleet.console.support.Api.adminToken()).accept("application/json").get("/q/openapi?format=json").then().statusCode(200)
                .extract().jsonPath();
        Map<String, Map<String, Map<String, Object>>> paths = doc.getMap("paths");
        List<String> undocumented = new ArrayList<>();
        int operations = 0;
        for (var path : paths.entrySet()) {
            for (var op : path.getValue().entrySet()) {
                operations++;
                Object description = op.getValue().get("description");
                Object summary = op.getValue().get("summary");
                if (description == null || description.toString().isBlank() || summary == null) {
                    undocumented.add(op.getKey().toUpperCase() + " " + path.getKey());
                }
            }
        }
        assertTrue(operations >= 9, "expected the API's operations in the document, found " + operations);
        assertTrue(undocumented.isEmpty(), "operations without summary/description: " + undocumented);
    }

    @Test
    void metricsAndTheApiDocumentNeedAToken() {
        for (String path : new String[]{"/q/metrics", "/q/openapi", "/q/openapi?format=json"}) {
            given().get(path).then().statusCode(401);
            given().header("Authorization", "Bearer not-a-token").get(path).then().statusCode(401);
        }
        given().header("Authorization", "Bearer " + io.sensorfleet.console.support.Api.tokenFor("READ_ONLY"))
                .get("/q/metrics").then().statusCode(200);
    }

    @Test
    void healthAndMetricsAreServed() {
        given().get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
        given().header("Authorization", "Bearer " + io.sensorfleet.console.support.Api.adminToken()).get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
    }
}
