package io.sensorfleet.console.auth;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sensorfleet.console.support.Api;
import io.sensorfleet.console.support.PostgresTestResource;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class ApiTokenResourceTest {

    @Test
    void apiTokenWorksWithItsRoleShowsLastUseAndIsRefusedOnceRevoked() {
        var created = Api.asAdmin().body(Map.of("description", "nightly export", "role", "READ_ONLY", "expiresInDays", 30))
                .post("/api/v1/api-tokens").then().statusCode(201).body("token", notNullValue()).extract();
        String id = created.path("id");
        String token = created.path("token");

        given().header("Authorization", "Bearer " + token).get("/api/v1/sensors").then().statusCode(200);
        given().header("Authorization", "Bearer " + token).contentType("application/json").body(Map.of("name", "x"))
                .post("/api/v1/business-units").then().statusCode(403);
        Api.asAdmin().get("/api/v1/api-tokens").then().statusCode(200)
                .body("find { it.id == '" + id + "' }.lastUsedAt", notNullValue())
                .body(not(containsString(token)));

        Api.asAdmin().delete("/api/v1/api-tokens/" + id).then().statusCode(200).body("revokedAt", notNullValue());
        given().header("Authorization", "Bearer " + token).get("/api/v1/sensors").then().statusCode(401);
    }

    @Test
    void tokenLifetimeIsBounded() {
        Api.asAdmin().body(Map.of("description", "forever", "role", "ADMIN", "expiresInDays", 100000))
                .post("/api/v1/api-tokens").then().statusCode(400);
        Api.asAdmin().body(Map.of("description", "", "role", "ADMIN", "expiresInDays", 1))
                .post("/api/v1/api-tokens").then().statusCode(400).body("status", equalTo(400));
    }
}
