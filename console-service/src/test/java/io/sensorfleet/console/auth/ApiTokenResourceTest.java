package io.sensorfleet.console.auth;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sensorfleet.console.support.Api;
import io.sensorfleet.console.support.PostgresTestResource;
import org.junit.jupiter.api.Test;

import io.sensorfleet.protocol.v1.Problem;

import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
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
    void disabledUsersApiTokensAreRefusedAtOnceAndCannotCreateAnything() {
        String name = "token-owner-" + UUID.randomUUID().toString().substring(0, 8);
        String userId = Api.asAdmin().body(Map.of("username", name, "password", "password-of-" + name, "role", "ADMIN"))
                .post("/api/v1/users").then().statusCode(201).extract().path("id");
        String login = Api.login(name, "password-of-" + name);
        String token = bearer(login).body(Map.of("description", "owner's script", "role", "ADMIN", "expiresInDays", 30))
                .post("/api/v1/api-tokens").then().statusCode(201).extract().path("token");
        // A token made with a token belongs to the same user.
        String grandchild = bearer(token).body(Map.of("description", "made by a token", "role", "ADMIN", "expiresInDays", 30))
                .post("/api/v1/api-tokens").then().statusCode(201).extract().path("token");
        bearer(grandchild).get("/api/v1/users").then().statusCode(200);

        Api.asAdmin().body(Map.of("enabled", false)).patch("/api/v1/users/" + userId).then().statusCode(200);

        for (String t : new String[]{login, token, grandchild}) {
            bearer(t).get("/api/v1/sensors").then().statusCode(401).contentType(Problem.MEDIA_TYPE);
            String other = "created-by-disabled-" + UUID.randomUUID().toString().substring(0, 8);
            bearer(t).body(Map.of("username", other, "password", "password-of-" + other, "role", "ADMIN"))
                    .post("/api/v1/users").then().statusCode(401).contentType(Problem.MEDIA_TYPE);
            bearer(t).body(Map.of("description", "escape", "role", "ADMIN", "expiresInDays", 365))
                    .post("/api/v1/api-tokens").then().statusCode(401);
            Api.asAdmin().get("/api/v1/users").then().statusCode(200).body("username", not(hasItem(other)));
        }
        Api.asAdmin().get("/api/v1/api-tokens").then().statusCode(200).body("description", not(hasItem("escape")));

        // Enabling the user again does not bring back tokens withdrawn by the disable.
        Api.asAdmin().body(Map.of("enabled", true)).patch("/api/v1/users/" + userId).then().statusCode(200);
        bearer(token).get("/api/v1/sensors").then().statusCode(401);
    }

    private static io.restassured.specification.RequestSpecification bearer(String token) {
        return given().contentType("application/json").header("Authorization", "Bearer " + token);
    }

    @Test
    void tokenLifetimeIsBounded() {
        Api.asAdmin().body(Map.of("description", "forever", "role", "ADMIN", "expiresInDays", 100000))
                .post("/api/v1/api-tokens").then().statusCode(400);
        Api.asAdmin().body(Map.of("description", "", "role", "ADMIN", "expiresInDays", 1))
                .post("/api/v1/api-tokens").then().statusCode(400).body("status", equalTo(400));
    }
}
