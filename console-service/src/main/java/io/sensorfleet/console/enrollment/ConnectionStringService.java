package io.sensorfleet.console.enrollment;

import io.sensorfleet.console.platform.ProblemType;
import io.quarkus.panache.common.Parameters;
import io.sensorfleet.console.agentplane.AgentPlaneAddresses;
import io.sensorfleet.console.certificates.InternalCa;
import io.sensorfleet.console.common.Page;
import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.console.zones.Zone;
import io.sensorfleet.protocol.v1.enrollment.ConnectionString;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Creates, lists and revokes connection strings. The token is shown once, at creation. */
@ApplicationScoped
@Transactional
public class ConnectionStringService {

    /** What an operator asked for. */
    public record Spec(String description, UUID zoneId, Duration ttl) {
    }

    /** A connection string as stored; never the token. */
    public record View(UUID id, String description, UUID zoneId, TokenStatus status, String createdBy,
                       Instant createdAt, Instant expiresAt, Instant usedAt, UUID usedBySensorId, Instant revokedAt) {
    }

    /** A freshly created connection string with the only copy of its token. */
    public record Created(UUID id, String connectionString, String description, UUID zoneId, Instant expiresAt) {
    }

    private final EnrollmentConfig config;
    private final InternalCa ca;
    private final AgentPlaneAddresses addresses;
    private final Clock clock;

    ConnectionStringService(EnrollmentConfig config, InternalCa ca, AgentPlaneAddresses addresses, Clock clock) {
        this.config = config;
        this.ca = ca;
        this.addresses = addresses;
        this.clock = clock;
    }

    public List<Created> create(Spec spec, int count, String createdBy) {
        Duration ttl = spec.ttl() == null ? config.tokenTtl() : spec.ttl();
        if (ttl.compareTo(Duration.ofMinutes(1)) < 0 || ttl.compareTo(config.maxTokenTtl()) > 0) {
            throw ProblemException.badRequest("ttlSeconds: must be between 60 and " + config.maxTokenTtl().toSeconds());
        }
        if (spec.zoneId() != null && Zone.findById(spec.zoneId()) == null) {
            throw ProblemException.badRequest("zoneId: zone " + spec.zoneId() + " does not exist");
        }
        Instant now = clock.instant();
        String fingerprint = ca.fingerprint();
        List<Created> created = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String token = Tokens.generate();
            EnrollmentToken t = new EnrollmentToken();
            t.id = UUID.randomUUID();
            t.tokenHash = Tokens.hash(token);
            t.description = spec.description();
            t.zoneId = spec.zoneId();
            t.createdBy = createdBy;
            t.createdAt = now;
            t.expiresAt = now.plus(ttl);
            t.persist();
            String encoded = new ConnectionString(addresses.advertised(), token, fingerprint).encode();
            created.add(new Created(t.id, encoded, t.description, t.zoneId, t.expiresAt));
        }
        return created;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Page<View> list(TokenStatus status, int page, int size) {
        Instant now = clock.instant();
        String where = switch (status == null ? "ALL" : status.name()) {
            case "ACTIVE" -> "usedAt is null and revokedAt is null and expiresAt > :now";
            case "USED" -> "usedAt is not null";
            case "REVOKED" -> "usedAt is null and revokedAt is not null";
            case "EXPIRED" -> "usedAt is null and revokedAt is null and expiresAt <= :now";
            default -> "";
        };
        Parameters params = where.contains(":now") ? Parameters.with("now", now) : new Parameters();
        var query = EnrollmentToken.<EnrollmentToken>find((where.isEmpty() ? "" : where + " ")
                + "order by createdAt desc, id", params);
        List<View> items = query.page(page, size).list().stream().map(t -> view(t, now)).toList();
        return new Page<>(items, page, size, query.count());
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public View get(UUID id) {
        return view(find(id), clock.instant());
    }

    public View revoke(UUID id) {
        EnrollmentToken t = find(id);
        Instant now = clock.instant();
        if (t.usedAt != null) {
            throw new ProblemException(ProblemType.TOKEN_USED, "connection string " + id + " was already used at "
                    + t.usedAt + "; delete the sensor instead to revoke its access");
        }
        if (t.revokedAt == null) {
            t.revokedAt = now;
        }
        return view(t, now);
    }

    private static EnrollmentToken find(UUID id) {
        EnrollmentToken t = EnrollmentToken.findById(id);
        if (t == null) {
            throw ProblemException.notFound("connection string", id);
        }
        return t;
    }

    private static View view(EnrollmentToken t, Instant now) {
        return new View(t.id, t.description, t.zoneId, t.status(now), t.createdBy, t.createdAt, t.expiresAt,
                t.usedAt, t.usedBySensor, t.revokedAt);
    }
}
