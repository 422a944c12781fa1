package io.sensorfleet.console.auth;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.sensorfleet.console.support.Api;
import io.sensorfleet.console.support.PostgresTestResource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The role matrix (Admin changes anything, Security Analyst only maintenance windows and alerts, Read-only nothing), checked against the API's own description so that an operation added
 * later is covered without editing this test: Read-only may change nothing; Security Analyst may
 * change only what is listed in {@link #ANALYST_MAY_CHANGE}. Every refused call still leaves one
 * audit row.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class RoleMatrixTest {
    /** Self-service operations every authenticated user (or anyone, for login) may call. */
    private static final Set<String> EVERYONE = Set.of("POST /api/v1/auth/login", "POST /api/v1/auth/password");
    /** Path prefixes a Security Analyst may change (maintenance windows and alert handling). */
    private static final List<String> ANALYST_MAY_CHANGE = List.of("/api/v1/maintenance-windows", "/api/v1/alerts",
            // a POST that changes nothing: it only reads the certificate sent with it
            "/api/v1/certificates/inspect");

    record Call(String method, String path) {
        String concrete() {
            // A path parameter restricted to words (e.g. {scope}: sites|zones|sensors) gets one of them.
            return path.replace("{scope}", "zones").replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    @SuppressWarnings("unchecked")
    static List<Call> mutatingOperations() {
        JsonPath doc = given().header("Authorization", "Bearer " + io.sensorfleet.console.support.Api.adminToken()).accept("application/json").get("/q/openapi?format=json").then().statusCode(200)
                .extract().jsonPath();
        Map<String, Map<String, Object>> paths = doc.getMap("paths");
        List<Call> calls = new ArrayList<>();
        paths.forEach((path, ops) -> ops.keySet().stream()
                .filter(m -> Set.of("post", "put", "patch", "delete").contains(m))
                .map(m -> new Call(m.toUpperCase(), path))
                .filter(c -> !EVERYONE.contains(c.toString()))
                .forEach(calls::add));
        return calls;
    }

    @Test
    void readOnlyIsRefusedEveryMutatingOperationAndEachRefusalIsAudited() {
        List<Call> calls = mutatingOperations();
        assertTrue(calls.size() >= 15, "found only " + calls);
        Api.tokenFor("READ_ONLY");
        List<String> wrong = new ArrayList<>();
        for (Call c : calls) {
            long before = Api.auditCount();
            int status = Api.as("READ_ONLY").body("{}").request(c.method(), c.concrete()).statusCode();
            if (status != 403) {
                wrong.add(c + " -> " + status);
            }
            assertEquals(before + 1, Api.auditCount(), "one audit row for " + c);
        }
        assertTrue(wrong.isEmpty(), "not refused to Read-only: " + wrong);
    }

    @Test
    void securityAnalystIsRefusedAdminOnlyOperations() {
        List<String> wrong = new ArrayList<>();
        for (Call c : mutatingOperations()) {
            if (ANALYST_MAY_CHANGE.stream().anyMatch(c.path()::startsWith)) {
                continue;
            }
            int status = Api.as("SECURITY_ANALYST").body("{}").request(c.method(), c.concrete()).statusCode();
            if (status != 403) {
                wrong.add(c + " -> " + status);
            }
        }
        assertTrue(wrong.isEmpty(), "not refused to Security Analyst: " + wrong);
    }

    @Test
    void everyRoleMayReadTheInventory() {
        for (String role : List.of("READ_ONLY", "SECURITY_ANALYST", "ADMIN")) {
            Api.as(role).get("/api/v1/sensors").then().statusCode(200);
            Api.as(role).get("/api/v1/zones").then().statusCode(200);
            Api.as(role).get("/api/v1/sites").then().statusCode(200);
        }
        Api.as("READ_ONLY").get("/api/v1/audit").then().statusCode(403);
        Api.as("SECURITY_ANALYST").get("/api/v1/audit").then().statusCode(200);
        Api.as("SECURITY_ANALYST").get("/api/v1/users").then().statusCode(403);
    }
}
