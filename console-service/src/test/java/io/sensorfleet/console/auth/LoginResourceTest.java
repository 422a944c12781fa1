package io.sensorfleet.console.auth;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.sensorfleet.console.support.Api;
import io.sensorfleet.console.support.PostgresTestResource;
import io.sensorfleet.console.support.TestSensor;
import io.sensorfleet.protocol.v1.Problem;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class LoginResourceTest {
    @Inject
    JwtKeys keys;

    @Test
    void loginReturnsATokenThatOpensTheApi() {
        String token = given().contentType(ContentType.JSON)
                .body(Map.of("username", "admin", "password", "test-admin-password"))
                .post("/api/v1/auth/login").then().statusCode(200)
                .body("expiresAt", notNullValue()).extract().path("token");
        given().header("Authorization", "Bearer " + token).get("/api/v1/sensors").then().statusCode(200);
    }

    @Test
    void wrongPasswordAndUnknownUserGetTheSame401Problem() {
        for (var body : new Map[]{Map.of("username", "admin", "password", "nope"),
                Map.of("username", "nobody", "password", "nope")}) {
            given().contentType(ContentType.JSON).body(body).post("/api/v1/auth/login").then()
                    .statusCode(401).contentType(Problem.MEDIA_TYPE)
                    .body("type", equalTo(Problem.TYPE_PREFIX + "invalid-credentials"));
        }
    }

    @Test
    void malformedLoginBodyIsA400Problem() {
        given().contentType(ContentType.JSON).body("{\"username\": ").post("/api/v1/auth/login").then()
                .statusCode(400).contentType(Problem.MEDIA_TYPE);
        given().contentType(ContentType.JSON).body(Map.of("username", "")).post("/api/v1/auth/login").then()
                .statusCode(400).contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void missingTokenIs401() {
        assertRejected(null);
    }

    @Test
    void tokenSignedByAnotherKeyIs401() {
        String forged = Jwt.upn("admin").issuer("urn:sensorfleet:console").groups(Set.of("ADMIN"))
                .expiresAt(Instant.now().plusSeconds(600)).jws().algorithm(SignatureAlgorithm.ES256)
                .sign(TestSensor.newKeyPair().getPrivate());
        assertRejected(forged);
    }

    @Test
    void expiredTokenIs401() {
        String expired = Jwt.upn("admin").issuer("urn:sensorfleet:console").groups(Set.of("ADMIN"))
                .issuedAt(Instant.now().minusSeconds(7200)).expiresAt(Instant.now().minusSeconds(60))
                .jws().algorithm(SignatureAlgorithm.ES256).sign(keys.privateKey());
        assertRejected(expired);
    }

    @Test
    void tokenFromAnotherIssuerIs401() {
        String foreign = Jwt.upn("admin").issuer("urn:someone-else").groups(Set.of("ADMIN"))
                .expiresAt(Instant.now().plusSeconds(600)).jws().algorithm(SignatureAlgorithm.ES256)
                .sign(keys.privateKey());
        assertRejected(foreign);
    }

    @Test
    void unsignedAlgNoneTokenIs401() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload = b64.encodeToString(("{\"iss\":\"urn:sensorfleet:console\",\"upn\":\"admin\",\"groups\":[\"ADMIN\"],"
                + "\"exp\":" + (Instant.now().getEpochSecond() + 600) + "}").getBytes(StandardCharsets.UTF_8));
        assertRejected(header + "." + payload + ".");
    }

    @Test
    void validlySignedTokenWithMalformedClaimsIs401() {
        Instant now = Instant.now();
        String notAUuid = Jwt.upn("admin").subject("x").issuer("urn:sensorfleet:console").groups(Set.of("ADMIN"))
                .claim(TokenIssuer.API_TOKEN_CLAIM, "not-a-uuid").expiresAt(now.plusSeconds(600))
                .jws().algorithm(SignatureAlgorithm.ES256).sign(keys.privateKey());
        String wrongType = Jwt.upn("admin").subject("x").issuer("urn:sensorfleet:console").groups(Set.of("ADMIN"))
                .claim(TokenIssuer.API_TOKEN_CLAIM, Map.of("a", 1)).expiresAt(now.plusSeconds(600))
                .jws().algorithm(SignatureAlgorithm.ES256).sign(keys.privateKey());
        String badIssued = Jwt.upn("admin").subject(java.util.UUID.randomUUID().toString()).issuer("urn:sensorfleet:console")
                .groups(Set.of("ADMIN")).claim(TokenIssuer.ISSUED_MS_CLAIM, "yesterday").expiresAt(now.plusSeconds(600))
                .jws().algorithm(SignatureAlgorithm.ES256).sign(keys.privateKey());
        for (String t : new String[]{notAUuid, wrongType, badIssued}) {
            assertRejected(t);
        }
    }

    @Test
    void validTokenStillWorksAfterTheNegativeCases() {
        given().header("Authorization", "Bearer " + Api.adminToken()).get("/api/v1/zones").then().statusCode(200);
    }

    private static void assertRejected(String token) {
        var req = given();
        if (token != null) {
            req = req.header("Authorization", "Bearer " + token);
        }
        req.get("/api/v1/sensors").then().statusCode(401).contentType(Problem.MEDIA_TYPE)
                .body("status", equalTo(401));
    }
}
