package io.sensorfleet.console.support;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.sensorfleet.console.auth.JwtKeys;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;

import java.time.Instant;
import java.util.Set;

import static io.restassured.RestAssured.given;

/** Operator-plane calls with a token for a role, signed with the console's key (users come with their own issue). */
public final class RoleTokens {
    private RoleTokens() {
    }

    /** @param role a role name, e.g. {@code Role.ANALYST_NAME} */
    public static RequestSpecification as(JwtKeys keys, String role) {
        String token = Jwt.upn(role.toLowerCase() + "-user").issuer("urn:sensorfleet:console").groups(Set.of(role))
                .issuedAt(Instant.now()).expiresAt(Instant.now().plusSeconds(600))
                .jws().algorithm(SignatureAlgorithm.ES256).sign(keys.privateKey());
        return given().contentType(ContentType.JSON).header("Authorization", "Bearer " + token);
    }
}
