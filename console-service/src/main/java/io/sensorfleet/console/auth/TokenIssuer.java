package io.sensorfleet.console.auth;

import io.sensorfleet.console.platform.Role;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * Signs operator tokens. Login tokens and API tokens are both ES256 JWTs so one mechanism accepts
 * both; {@link TokenStateAugmentor} then checks each against the database on every request.
 */
@ApplicationScoped
public class TokenIssuer {
    /** Claim naming the API token row; absent on login tokens. */
    public static final String API_TOKEN_CLAIM = "sf_api_token";
    /** Issue time in milliseconds: 'iat' has whole seconds, too coarse to tell a token from a reset made in the same second. */
    public static final String ISSUED_MS_CLAIM = "sf_issued_ms";

    private final JwtKeys keys;

    TokenIssuer(JwtKeys keys) {
        this.keys = keys;
    }

    public String loginToken(User user, Instant now, Instant expires) {
        return Jwt.upn(user.username).subject(user.id.toString()).groups(Set.of(user.role.name()))
                .claim(ISSUED_MS_CLAIM, now.toEpochMilli()).issuedAt(now).expiresAt(expires)
                .jws().algorithm(SignatureAlgorithm.ES256).sign(keys.privateKey());
    }

    public String apiToken(UUID tokenId, Role role, Instant now, Instant expires) {
        return Jwt.upn("api-token:" + tokenId).subject(tokenId.toString()).groups(Set.of(role.name()))
                .claim(API_TOKEN_CLAIM, tokenId.toString())
                .issuedAt(now).expiresAt(expires)
                .jws().algorithm(SignatureAlgorithm.ES256).sign(keys.privateKey());
    }
}
