package io.sensorfleet.console.auth;

import io.sensorfleet.console.platform.Role;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * A signature proves who issued a token, not whether it should still work. On every request this
 * looks the token's subject up: a disabled user, a token issued before the user's password reset,
 * or a revoked or expired API token is refused at once, on every instance; and a login token gets
 * the user's current role, so a role change takes effect on the next call.
 */
@ApplicationScoped
public class TokenStateAugmentor implements SecurityIdentityAugmentor {
    private static final Duration LAST_USED_GRANULARITY = Duration.ofMinutes(1);
    /** Principal name of an API token (see {@link TokenIssuer#apiToken}). */
    private static final String API_TOKEN_PRINCIPAL = "api-token:";
    /** Tokens made with tokens made with tokens…: deeper than this is refused rather than followed. */
    private static final int MAX_TOKEN_CHAIN = 16;

    private final EntityManager em;
    private final Clock clock;

    TokenStateAugmentor(EntityManager em, Clock clock) {
        this.em = em;
        this.clock = clock;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return Uni.createFrom().item(identity);
        }
        return context.runBlocking(() -> QuarkusTransaction.requiringNew().call(() -> check(identity, jwt)));
    }

    private SecurityIdentity check(SecurityIdentity identity, JsonWebToken jwt) {
        try {
            return checkClaims(identity, jwt);
        } catch (IllegalArgumentException | ClassCastException e) {
            // A token signed with our key but carrying a claim we never write (wrong type, not a
            // UUID): refused like any other bad token, not a 500.
            throw new AuthenticationFailedException("malformed token claim");
        }
    }

    private SecurityIdentity checkClaims(SecurityIdentity identity, JsonWebToken jwt) {
        Instant now = clock.instant();
        Object apiTokenClaim = jwt.getClaim(TokenIssuer.API_TOKEN_CLAIM);
        if (apiTokenClaim != null) {
            ApiToken t = ApiToken.findById(UUID.fromString(claimText(apiTokenClaim)));
            if (t == null || t.revokedAt != null || !t.expiresAt.isAfter(now)) {
                throw new AuthenticationFailedException("API token revoked or expired");
            }
            if (!ownerStillTrusted(t)) {
                throw new AuthenticationFailedException("the API token's owner is disabled or withdrew their tokens");
            }
            if (t.lastUsedAt == null || t.lastUsedAt.isBefore(now.minus(LAST_USED_GRANULARITY))) {
                t.lastUsedAt = now;
            }
            return withRole(identity, t.role);
        }
        UUID subject;
        try {
            subject = UUID.fromString(String.valueOf(jwt.getSubject()));
        } catch (IllegalArgumentException e) {
            throw new AuthenticationFailedException("token names no user of this console");
        }
        User u = User.findById(subject);
        Object ms = jwt.getClaim(TokenIssuer.ISSUED_MS_CLAIM);
        Instant issued = ms instanceof Number n ? Instant.ofEpochMilli(n.longValue())
                : ms != null ? Instant.ofEpochMilli(Long.parseLong(claimText(ms))) : Instant.ofEpochSecond(jwt.getIssuedAtTime());
        if (u == null || !u.enabled || (u.tokensValidAfter != null && issued.isBefore(u.tokensValidAfter))) {
            throw new AuthenticationFailedException("account disabled or token withdrawn");
        }
        return withRole(identity, u.role);
    }

    /**
     * An API token acts for the user who created it, so it lives no longer than that user's own
     * tokens: the user must still exist and be enabled, and must not have withdrawn their tokens
     * (disable, password reset or change) since the token was made. A token created with another
     * API token belongs to that token's owner; the chain is followed to the user.
     */
    private static boolean ownerStillTrusted(ApiToken token) {
        ApiToken t = token;
        for (int depth = 0; depth < MAX_TOKEN_CHAIN; depth++) {
            String creator = t.createdBy;
            if (creator.startsWith(API_TOKEN_PRINCIPAL)) {
                t = ApiToken.findById(UUID.fromString(creator.substring(API_TOKEN_PRINCIPAL.length())));
                if (t == null) {
                    return false;
                }
                continue;
            }
            User u = User.<User>find("username", creator).firstResult();
            return u != null && u.enabled && (u.tokensValidAfter == null || token.createdAt.isAfter(u.tokensValidAfter));
        }
        return false;
    }

    private static String claimText(Object claim) {
        if (claim instanceof String s) {
            return s;
        }
        if (claim instanceof jakarta.json.JsonString js) {
            return js.getString();
        }
        if (claim instanceof Number || claim instanceof jakarta.json.JsonNumber) {
            return claim.toString();
        }
        throw new IllegalArgumentException("claim of unexpected type");
    }

    private static SecurityIdentity withRole(SecurityIdentity identity, Role role) {
        return QuarkusSecurityIdentity.builder().setPrincipal(identity.getPrincipal())
                .addCredentials(identity.getCredentials()).addAttributes(identity.getAttributes())
                .setAnonymous(false).addRole(role.name()).build();
    }
}
