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
import jakarta.inject.Inject;
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

    @Inject
    EntityManager em;
    @Inject
    Clock clock;

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return Uni.createFrom().item(identity);
        }
        return context.runBlocking(() -> QuarkusTransaction.requiringNew().call(() -> check(identity, jwt)));
    }

    private SecurityIdentity check(SecurityIdentity identity, JsonWebToken jwt) {
        Instant now = clock.instant();
        String apiTokenId = jwt.getClaim(TokenIssuer.API_TOKEN_CLAIM);
        if (apiTokenId != null) {
            ApiToken t = ApiToken.findById(UUID.fromString(apiTokenId));
            if (t == null || t.revokedAt != null || !t.expiresAt.isAfter(now)) {
                throw new AuthenticationFailedException("API token revoked or expired");
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
                : ms != null ? Instant.ofEpochMilli(Long.parseLong(ms.toString())) : Instant.ofEpochSecond(jwt.getIssuedAtTime());
        if (u == null || !u.enabled || (u.tokensValidAfter != null && issued.isBefore(u.tokensValidAfter))) {
            throw new AuthenticationFailedException("account disabled or token withdrawn");
        }
        return withRole(identity, u.role);
    }

    private static SecurityIdentity withRole(SecurityIdentity identity, Role role) {
        return QuarkusSecurityIdentity.builder().setPrincipal(identity.getPrincipal())
                .addCredentials(identity.getCredentials()).addAttributes(identity.getAttributes())
                .setAnonymous(false).addRole(role.name()).build();
    }
}
