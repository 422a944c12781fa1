package io.sensorfleet.console.auth;

import io.sensorfleet.console.platform.Role;
import io.sensorfleet.console.platform.AuditContext;
import io.sensorfleet.console.common.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** API access tokens for scripts: shown once, listed with last use, revocable. */
@ApplicationScoped
@Transactional
public class ApiTokenService {
    public record View(UUID id, String description, Role role, String createdBy, Instant createdAt, Instant expiresAt,
                       Instant lastUsedAt, Instant revokedAt) {
        static View of(ApiToken t) {
            return new View(t.id, t.description, t.role, t.createdBy, t.createdAt, t.expiresAt, t.lastUsedAt, t.revokedAt);
        }
    }

    /** A new token with its secret, which is never shown again. */
    public record Created(UUID id, String description, Role role, Instant expiresAt, String token) {
    }

    private final TokenIssuer issuer;
    private final AuthConfig config;
    private final AuditContext audit;
    private final Clock clock;

    ApiTokenService(TokenIssuer issuer, AuthConfig config, AuditContext audit, Clock clock) {
        this.issuer = issuer;
        this.config = config;
        this.audit = audit;
        this.clock = clock;
    }

    public Created create(String description, Role role, Duration lifetime, String createdBy) {
        if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(config.apiTokenMaxLifetime()) > 0) {
            throw ProblemException.badRequest("expiresInDays: must be between 1 and "
                    + config.apiTokenMaxLifetime().toDays());
        }
        Instant now = clock.instant();
        ApiToken t = new ApiToken();
        t.id = UUID.randomUUID();
        t.description = description.strip();
        t.role = role;
        t.createdBy = createdBy;
        t.createdAt = now;
        t.expiresAt = now.plus(lifetime);
        t.persist();
        audit.target("api-token:" + t.id);
        return new Created(t.id, t.description, role, t.expiresAt, issuer.apiToken(t.id, role, now, t.expiresAt));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<View> list() {
        return ApiToken.<ApiToken>list("order by createdAt desc").stream().map(View::of).toList();
    }

    public View revoke(UUID id) {
        ApiToken t = ApiToken.findById(id);
        if (t == null) {
            throw ProblemException.notFound("API token", id);
        }
        audit.target("api-token:" + id);
        if (t.revokedAt == null) {
            t.revokedAt = clock.instant();
        }
        return View.of(t);
    }
}
