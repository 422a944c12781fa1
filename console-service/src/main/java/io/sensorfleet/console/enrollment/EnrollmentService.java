package io.sensorfleet.console.enrollment;

import io.agroal.api.AgroalDataSource;
import io.sensorfleet.console.agentplane.AgentPlaneAddresses;
import io.sensorfleet.console.audit.AuditLog;
import io.sensorfleet.console.certificates.CsrReader;
import io.sensorfleet.console.certificates.InternalCa;
import io.sensorfleet.console.certificates.SigningPool;
import io.sensorfleet.console.common.JdbcTransaction;
import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.console.sensors.HeartbeatConfig;
import io.sensorfleet.console.sensors.SensorStore;
import io.sensorfleet.protocol.v1.AgentPaths;
import io.sensorfleet.protocol.v1.enrollment.EnrollRequest;
import io.sensorfleet.protocol.v1.enrollment.EnrollResponse;
import io.sensorfleet.protocol.v1.enrollment.Fingerprints;
import io.sensorfleet.protocol.v1.enrollment.RenewRequest;
import io.sensorfleet.protocol.v1.update.Versions;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.security.cert.CertificateEncodingException;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Turns a one-time token and a CSR into a sensor with a certificate, and renews certificates of
 * enrolled sensors. The CSR check and the signing run on the {@link SigningPool}, outside any
 * transaction; what is written then takes one short JDBC transaction (token spent, sensor row,
 * certificate row, audit row) with no ORM or JTA work per request — those were a third of the
 * console's CPU per enrollment. Token use is one conditional UPDATE: of any number of concurrent
 * attempts with the same token exactly one matches the row, the others see it used.
 */
@ApplicationScoped
public class EnrollmentService {
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Pattern HOSTNAME = Pattern.compile("(?i)[a-z0-9][a-z0-9.-]{0,252}");

    private final SensorStore sensors;
    private final DataSource dataSource;
    private final InternalCa ca;
    private final SigningPool signing;
    private final EnrollmentConfig config;
    private final HeartbeatConfig heartbeat;
    private final AgentPlaneAddresses addresses;
    private final AuditLog audit;
    private final Clock clock;

    EnrollmentService(SensorStore sensors, AgroalDataSource dataSource, InternalCa ca, SigningPool signing,
                      EnrollmentConfig config, HeartbeatConfig heartbeat, AgentPlaneAddresses addresses,
                      AuditLog audit, Clock clock) {
        this.sensors = sensors;
        this.dataSource = dataSource;
        this.ca = ca;
        this.signing = signing;
        this.config = config;
        this.heartbeat = heartbeat;
        this.addresses = addresses;
        this.audit = audit;
        this.clock = clock;
    }

    public EnrollResponse enroll(EnrollRequest request) {
        validate(request);
        byte[] hash = Tokens.hash(request.token());
        // A token that cannot be spent is refused before the console spends a signature on it.
        ProblemException refused = JdbcTransaction.read(dataSource, c -> TokenUse.refusal(c, hash, clock.instant()));
        if (refused != null) {
            throw refused;
        }
        UUID sensorId = UUID.randomUUID();
        // The CSR is checked before the token is spent, so a bad CSR does not burn it.
        InternalCa.Issued cert = signing.call(() ->
                ca.issueSensorCertificate(sensorId, CsrReader.publicKey(request.csrPem()), config.certificateLifetime()));
        Instant now = clock.instant();
        String name = request.hostname() != null ? request.hostname() : "sensor-" + sensorId.toString().substring(0, 8);
        Instant notAfter = cert.certificate().getNotAfter().toInstant();
        JdbcTransaction.run(dataSource, c -> {
            TokenUse.Spent spent = TokenUse.spend(c, hash, sensorId, now);
            if (spent == null) {
                // Lost a race with another enrollment (on this instance or another) since the check above.
                ProblemException why = TokenUse.refusal(c, hash, now);
                throw why != null ? why : EnrollmentProblem.used(now);
            }
            sensors.enrolled(c, new SensorStore.Enrolled(sensorId, request.hostname(), name, spent.zoneId(),
                    request.agentVersion(), spent.tokenId(), now, cert.serial(), notAfter));
            sensors.certificateIssued(c, issued(sensorId, cert, now));
            audit.record(c, new AuditLog.Entry("sensor:" + sensorId, null, "Sensor enrolled",
                    "POST", AgentPaths.ENROLL, "sensor:" + sensorId, 200,
                    "name " + name + ", connection string " + spent.tokenId() + ", certificate " + cert.serial().toString(16),
                    null));
            return null;
        });
        return response(sensorId, name, notAfter, cert);
    }

    public EnrollResponse renew(UUID sensorId, RenewRequest request) {
        if (request == null) {
            throw ProblemException.badRequest("body: a RenewRequest is required");
        }
        InternalCa.Issued cert = signing.call(() ->
                ca.issueSensorCertificate(sensorId, CsrReader.publicKey(request.csrPem()), config.certificateLifetime()));
        Instant now = clock.instant();
        Instant notAfter = cert.certificate().getNotAfter().toInstant();
        String name = JdbcTransaction.run(dataSource, c -> {
            String n = sensors.certificateRenewed(c, sensorId, cert.serial(), notAfter);
            if (n == null) {
                throw ProblemException.notFound("sensor", sensorId);
            }
            sensors.certificateIssued(c, issued(sensorId, cert, now));
            audit.record(c, new AuditLog.Entry("sensor:" + sensorId, null,
                    "Sensor certificate renewed", "POST", AgentPaths.RENEW, "sensor:" + sensorId,
                    200, "certificate " + cert.serial().toString(16), null));
            return n;
        });
        return response(sensorId, name, notAfter, cert);
    }

    private static SensorStore.IssuedCertificate issued(UUID sensorId, InternalCa.Issued cert, Instant now) {
        try {
            return new SensorStore.IssuedCertificate(sensorId, cert.serial(),
                    Fingerprints.sha256Hex(cert.certificate().getEncoded()),
                    cert.certificate().getNotBefore().toInstant(), cert.certificate().getNotAfter().toInstant(), now);
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private EnrollResponse response(UUID sensorId, String name, Instant notAfter, InternalCa.Issued cert) {
        return new EnrollResponse(sensorId.toString(), name, cert.pem(), ca.certificatePem(),
                notAfter, (int) heartbeat.interval().toSeconds(),
                addresses.advertised().stream().map(Object::toString).toList());
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
