package io.sensorfleet.console.auth;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.sensorfleet.console.support.Api;
import io.sensorfleet.console.support.PostgresTestResource;
import io.sensorfleet.protocol.v1.Problem;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class UserResourceTest {
    private static final String PASSWORD = "a-long-enough-password";

    private static String newUser(String role) {
        String name = "u" + UUID.randomUUID().toString().substring(0, 8);
        return Api.asAdmin().body(Map.of("username", name, "password", PASSWORD, "role", role)).post("/api/v1/users")
                .then().statusCode(201).body("role", equalTo(role)).body(not(containsString("passwordHash")))
                .extract().path("username");
    }

    private static String idOf(String username) {
        return Api.asAdmin().get("/api/v1/users").then().extract().jsonPath()
                .getString("find { it.username == '" + username + "' }.id");
    }

    private static void get(String token, int status) {
        given().header("Authorization", "Bearer " + token).get("/api/v1/sensors").then().statusCode(status);
    }

    @Test
    void disabledUsersTokenIsRefusedOnTheNextCall() {
        String name = newUser("READ_ONLY");
        String token = Api.login(name, PASSWORD);
        get(token, 200);
        Api.asAdmin().body(Map.of("enabled", false)).patch("/api/v1/users/" + idOf(name)).then().statusCode(200)
                .body("enabled", equalTo(false));
        get(token, 401);
        given().contentType(ContentType.JSON).body(Map.of("username", name, "password", PASSWORD))
                .post("/api/v1/auth/login").then().statusCode(401);
    }

    @Test
    void roleChangeTakesEffectOnTheNextCallWithTheSameToken() {
        String name = newUser("READ_ONLY");
        String token = Api.login(name, PASSWORD);
        given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON).body(Map.of("name", "x"))
                .post("/api/v1/business-units").then().statusCode(403);
        Api.asAdmin().body(Map.of("role", "ADMIN")).patch("/api/v1/users/" + idOf(name)).then().statusCode(200);
        given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                .body(Map.of("name", "bu-" + UUID.randomUUID())).post("/api/v1/business-units").then().statusCode(201);
    }

    @Test
    void passwordResetWithdrawsExistingTokens() {
        String name = newUser("SECURITY_ANALYST");
        String token = Api.login(name, PASSWORD);
        Api.asAdmin().body(Map.of("password", "another-long-password")).post("/api/v1/users/" + idOf(name) + "/password")
                .then().statusCode(204);
        get(token, 401);
        get(Api.login(name, "another-long-password"), 200);
    }

    @Test
    void userChangesOwnPasswordOnlyWithTheCurrentOne() {
        String name = newUser("READ_ONLY");
        String token = Api.login(name, PASSWORD);
        given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                .body(Map.of("currentPassword", "wrong", "newPassword", "a-new-long-password"))
                .post("/api/v1/auth/password").then().statusCode(403).contentType(Problem.MEDIA_TYPE);
        given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                .body(Map.of("currentPassword", PASSWORD, "newPassword", "a-new-long-password"))
                .post("/api/v1/auth/password").then().statusCode(204);
        Api.login(name, "a-new-long-password");
    }

    @Test
    void weakPasswordsAndDuplicateNamesAreRefused() {
        String name = "weak" + UUID.randomUUID().toString().substring(0, 6);
        Api.asAdmin().body(Map.of("username", name, "password", "short", "role", "READ_ONLY")).post("/api/v1/users")
                .then().statusCode(400).body("type", equalTo(Problem.TYPE_PREFIX + "weak-password"));
        String existing = newUser("READ_ONLY");
        Api.asAdmin().body(Map.of("username", existing, "password", PASSWORD, "role", "READ_ONLY")).post("/api/v1/users")
                .then().statusCode(409);
        Api.asAdmin().body(Map.of("username", "x", "password", PASSWORD, "role", "ROOT")).post("/api/v1/users")
                .then().statusCode(400).contentType(Problem.MEDIA_TYPE);
        Api.asAdmin().get("/api/v1/users").then().body("username", not(hasItem(name)));
    }

    @Test
    void tenFailedLoginsThrottleThatNameFromThatAddressAndTheRefusalIsAudited() {
        String name = newUser("READ_ONLY");
        for (int i = 1; i <= 10; i++) {
            given().contentType(ContentType.JSON).body(Map.of("username", name, "password", "wrong-" + i))
                    .post("/api/v1/auth/login").then().statusCode(401);
        }
        String retryAfter = given().contentType(ContentType.JSON).body(Map.of("username", name, "password", PASSWORD))
                .post("/api/v1/auth/login").then().statusCode(429).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo(Problem.TYPE_PREFIX + "too-many-failed-logins"))
                .header("Retry-After", notNullValue()).extract().header("Retry-After");
        assertTrue(Integer.parseInt(retryAfter) > 0 && Integer.parseInt(retryAfter) <= 15 * 60, retryAfter);
        Api.asAdmin().get("/api/v1/audit?actor=" + name + "&size=100").then().statusCode(200)
                .body("items.detail", hasItem(containsString("refused for 15 min")))
                .body("items.findAll { it.result == 401 }.size()", equalTo(10))
                .body("items.findAll { it.result == 429 }.size()", equalTo(1));
        // An admin lifts the refusal by enabling the account again.
        Api.asAdmin().body(Map.of("enabled", true)).patch("/api/v1/users/" + idOf(name)).then().statusCode(200);
        Api.login(name, PASSWORD);
    }

    @Test
    void adminCannotLockThemselvesOut() {
        String adminId = idOf("admin");
        Api.asAdmin().body(Map.of("enabled", false)).patch("/api/v1/users/" + adminId).then().statusCode(409);
        Api.asAdmin().body(Map.of("role", "READ_ONLY")).patch("/api/v1/users/" + adminId).then().statusCode(409);
    }
}
