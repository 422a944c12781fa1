package io.sensorfleet.console.enrollment;

import io.sensorfleet.protocol.v1.update.Versions;
import io.sensorfleet.console.sensors.SensorStore;
import io.sensorfleet.console.agentplane.AgentPlaneAddresses;
import io.sensorfleet.console.audit.AuditLog;
import io.sensorfleet.console.certificates.CsrReader;
import io.sensorfleet.console.certificates.InternalCa;
import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.console.common.Sql;
import io.sensorfleet.console.sensors.HeartbeatConfig;
import io.sensorfleet.console.sensors.Sensor;
import io.sensorfleet.console.sensors.SensorCertificate;
import io.sensorfleet.protocol.v1.AgentPaths;
import io.sensorfleet.protocol.v1.enrollment.EnrollRequest;
import io.sensorfleet.protocol.v1.enrollment.EnrollResponse;
import io.sensorfleet.protocol.v1.enrollment.Fingerprints;
import io.sensorfleet.protocol.v1.enrollment.RenewRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.math.BigDecimal;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Turns a one-time token and a CSR into a sensor with a certificate, and renews certificates of
 * enrolled sensors. Token use is one conditional UPDATE: of any number of concurrent attempts with
 * the same token exactly one matches the row, the others see it used.
 */
@ApplicationScoped
@Transactional
public class EnrollmentService {
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Pattern HOSTNAME = Pattern.compile("(?i)[a-z0-9][a-z0-9.-]{0,252}");

    private final SensorStore sensors;
    private final EntityManager em;
    private final InternalCa ca;
    private final EnrollmentConfig config;
    private final HeartbeatConfig heartbeat;
    private final AgentPlaneAddresses addresses;
    private final AuditLog audit;
    private final Clock clock;

    EnrollmentService(SensorStore sensors, EntityManager em, InternalCa ca, EnrollmentConfig config,
                      HeartbeatConfig heartbeat, AgentPlaneAddresses addresses, AuditLog audit, Clock clock) {
        this.sensors = sensors;
        this.em = em;
        this.ca = ca;
        this.config = config;
        this.heartbeat = heartbeat;
        this.addresses = addresses;
        this.audit = audit;
        this.clock = clock;
    }

    public EnrollResponse enroll(EnrollRequest request) {
        validate(request);
        // Check proof of possession before the token is spent, so a bad CSR does not burn it.
        PublicKey key = CsrReader.publicKey(request.csrPem());
        Instant now = clock.instant();
        UUID sensorId = UUID.randomUUID();
        byte[] hash = Tokens.hash(request.token());
        Sql.Row won = Sql.row(em, "update enrollment_tokens set used_at = ?1, used_by_sensor = ?2 "
                + "where token_hash = ?3 and used_at is null and revoked_at is null and expires_at > ?1 "
                + "returning id, zone_id", now, sensorId, hash);
        if (won == null) {
            throw whyRefused(hash, now);
        }
        UUID tokenId = won.uuid(0);
        UUID zoneId = won.uuid(1);

        InternalCa.Issued cert = ca.issueSensorCertificate(sensorId, key, config.certificateLifetime());
        Sensor s = sensors.enrolled(new SensorStore.Enrolled(sensorId, request.hostname(),
                request.hostname() != null ? request.hostname() : "sensor-" + sensorId.toString().substring(0, 8),
                zoneId, request.agentVersion(), tokenId, now, cert.serial(), cert.certificate().getNotAfter().toInstant()));
        record(sensorId, cert, now);
        audit.record(new AuditLog.Entry("sensor:" + sensorId, null, "Sensor enrolled",
                "POST", AgentPaths.ENROLL, "sensor:" + sensorId, 200,
                "name " + s.name + ", connection string " + tokenId + ", certificate " + cert.serial().toString(16), null));
        return response(s, cert);
    }

    public EnrollResponse renew(UUID sensorId, RenewRequest request) {
        if (request == null) {
            throw ProblemException.badRequest("body: a RenewRequest is required");
        }
        PublicKey key = CsrReader.publicKey(request.csrPem());
        if (Sensor.findById(sensorId) == null) {
            throw ProblemException.notFound("sensor", sensorId);
        }
        Instant now = clock.instant();
        InternalCa.Issued cert = ca.issueSensorCertificate(sensorId, key, config.certificateLifetime());
        Sensor s = sensors.certificateRenewed(sensorId, cert.serial(), cert.certificate().getNotAfter().toInstant());
        record(sensorId, cert, now);
        audit.record(new AuditLog.Entry("sensor:" + sensorId, null,
                "Sensor certificate renewed", "POST", AgentPaths.RENEW, "sensor:" + sensorId,
                200, "certificate " + cert.serial().toString(16), null));
        return response(s, cert);
    }

    private void record(UUID sensorId, InternalCa.Issued cert, Instant now) {
        SensorCertificate c = new SensorCertificate();
        c.serial = new BigDecimal(cert.serial());
        c.sensorId = sensorId;
        try {
            c.fingerprint = Fingerprints.sha256Hex(cert.certificate().getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
        c.notBefore = cert.certificate().getNotBefore().toInstant();
        c.notAfter = cert.certificate().getNotAfter().toInstant();
        c.issuedAt = now;
        c.persist();
    }

    private EnrollResponse response(Sensor s, InternalCa.Issued cert) {
        return new EnrollResponse(s.id.toString(), s.name, cert.pem(), ca.certificatePem(),
                s.certificateNotAfter, (int) heartbeat.interval().toSeconds(),
                addresses.advertised().stream().map(Object::toString).toList());
    }

    private ProblemException whyRefused(byte[] hash, Instant now) {
        EnrollmentToken t = EnrollmentToken.find("tokenHash", hash).firstResult();
        if (t == null) {
            return EnrollmentProblem.unknown();
        }
        return switch (t.status(now)) {
            case USED -> EnrollmentProblem.used(t.usedAt);
            case REVOKED -> EnrollmentProblem.revoked(t.revokedAt);
            case EXPIRED -> EnrollmentProblem.expired(t.expiresAt);
            // Lost a race that finished between the UPDATE and this read.
            case ACTIVE -> EnrollmentProblem.used(now);
        };
    }

    private static void validate(EnrollRequest r) {
        if (r == null) {
            throw ProblemException.badRequest("body: an EnrollRequest is required");
        }
        if (r.token() == null || !TOKEN.matcher(r.token()).matches()) {
            throw ProblemException.badRequest("token: must be the 43-character token from a connection string");
        }
        if (!Versions.valid(r.agentVersion())) {
            throw ProblemException.badRequest("agentVersion: required, letters, digits and . + _ - only, at most 64");
        }
        if (r.hostname() != null && !HOSTNAME.matcher(r.hostname()).matches()) {
            throw ProblemException.badRequest("hostname: not a valid host name");
        }
    }
}
