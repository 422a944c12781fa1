package io.sensorfleet.console.common;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.sensorfleet.console.support.PostgresTestResource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
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

    /**
     * docs/api/openapi.yaml is the API reference readers and client generators use: it must be what the code
     * serves. After an API change, regenerate it with
     * {@code ./mvnw -pl console-service -am verify -Dtest=ApiDocumentationTest -Dsensorfleet.openapi.write=true}.
     */
    @Test
    void theCommittedApiDocumentIsWhatTheCodeServes() throws IOException {
        String served = given().header("Authorization", "Bearer " + io.sensorfleet.console.support.Api.adminToken())
                .get("/q/openapi?format=yaml").then().statusCode(200).extract().asString();
        Path committed = Path.of("..", "docs", "api", "openapi.yaml");
        if (Boolean.getBoolean("sensorfleet.openapi.write")) {
            Files.createDirectories(committed.getParent());
            Files.writeString(committed, served, StandardCharsets.UTF_8);
        }
        assertTrue(Files.exists(committed), "docs/api/openapi.yaml is missing: regenerate it (see this test's comment)");
        assertEquals(Files.readString(committed, StandardCharsets.UTF_8), served,
                "docs/api/openapi.yaml differs from the API the code serves: regenerate it (see this test's comment)");
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
