package io.sensorfleet.console.support;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import java.util.Map;

import static io.restassured.RestAssured.given;

/** Operator-plane calls as the admin of the test profile. */
public final class Api {
    private static volatile String adminToken;

    private Api() {
    }

    public static RequestSpecification asAdmin() {
        return given().contentType(ContentType.JSON).header("Authorization", "Bearer " + adminToken());
    }

    public static String adminToken() {
        if (adminToken == null) {
            adminToken = given().contentType(ContentType.JSON)
                    .body(Map.of("username", "admin", "password", "test-admin-password"))
                    .post("/api/v1/auth/login").then().statusCode(200).extract().path("token");
        }
        return adminToken;
    }

    private static final Map<String, String> TOKENS = new java.util.concurrent.ConcurrentHashMap<>();

    /** Calls as a user of the given role (created on first use with a fixed password). */
    public static RequestSpecification as(String role) {
        return given().contentType(ContentType.JSON).header("Authorization", "Bearer " + tokenFor(role));
    }

    public static String tokenFor(String role) {
        return TOKENS.computeIfAbsent(role, r -> {
            String username = "test-" + r.toLowerCase().replace('_', '-');
            asAdmin().body(Map.of("username", username, "password", "password-of-" + username, "role", r))
                    .post("/api/v1/users");
            return login(username, "password-of-" + username);
        });
    }

    public static String login(String username, String password) {
        return given().contentType(ContentType.JSON).body(Map.of("username", username, "password", password))
                .post("/api/v1/auth/login").then().statusCode(200).extract().path("token");
    }

    /** Number of audit rows so far. */
    public static long auditCount() {
        return asAdmin().get("/api/v1/audit?size=1").then().statusCode(200).extract().jsonPath().getLong("total");
    }

    private static volatile String siteId;

    /** A site to put test zones in, created once per test run. */
    public static synchronized String siteId() {
        if (siteId == null) {
            String suffix = java.util.UUID.randomUUID().toString().substring(0, 8);
            String bu = asAdmin().body(Map.of("name", "Test BU " + suffix)).post("/api/v1/business-units")
                    .then().statusCode(201).extract().path("id");
            String region = asAdmin().body(Map.of("name", "Test region", "businessUnitId", bu)).post("/api/v1/regions")
                    .then().statusCode(201).extract().path("id");
            siteId = asAdmin().body(Map.of("name", "Test site", "regionId", region)).post("/api/v1/sites")
                    .then().statusCode(201).extract().path("id");
        }
        return siteId;
    }

    /** Creates a zone with a unique name in the test site and returns its id. */
    public static String zone(String namePrefix) {
        return asAdmin().body(Map.of("name", namePrefix + "-" + java.util.UUID.randomUUID(), "siteId", siteId()))
                .post("/api/v1/zones").then().statusCode(201).extract().path("id");
    }

    /** Creates a connection string and returns its one-line form. */
    public static String connectionString(Map<String, Object> body) {
        return asAdmin().body(body).post("/api/v1/connection-strings").then().statusCode(201)
                .extract().path("connectionString");
    }
}
