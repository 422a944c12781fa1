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

    /** Creates a connection string and returns its one-line form. */
    public static String connectionString(Map<String, Object> body) {
        return asAdmin().body(body).post("/api/v1/connection-strings").then().statusCode(201)
                .extract().path("connectionString");
    }
}
