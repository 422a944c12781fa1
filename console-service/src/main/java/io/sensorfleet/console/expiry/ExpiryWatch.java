package io.sensorfleet.console.expiry;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.sensorfleet.console.certificates.CertificatesConfig;
import io.sensorfleet.console.certificates.HeldCertificates;
import io.sensorfleet.console.common.Sql;
import io.sensorfleet.console.notifications.NotificationType;
import io.sensorfleet.console.notifications.Severity;
import io.sensorfleet.console.notifications.SystemEvent;
import io.sensorfleet.console.notifications.SystemEvents;
import io.sensorfleet.protocol.v1.enrollment.Fingerprints;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Raises the expiry notifications of activation files and certificates: certificate expiring (30 days ahead) for the
 * certificates the console holds, activation expiring and expired for sensors. Every instance
 * looks (hourly, with the injected clock); each warning is raised once per object and threshold
 * across instances because it is an {@code insert … on conflict do nothing} into
 * {@code expiry_warnings} whose winner records the notification in the same transaction. A new
 * activation file or certificate is a new object, so its warnings come afresh.
 */
@ApplicationScoped
public class ExpiryWatch {
    /** Activation files per transaction: a first run on a large fleet of expired sensors stays in bounded batches. */
    static final int BATCH = 1000;
    static final String ACTIVATIONS = "insert into expiry_warnings (object_key, threshold, expires_at, raised_at, sensor_id) "
            + "select w.object_key, w.threshold, w.expires_at, ?1, w.sensor_id from ("
            + "select 'activation:' || s.activation_file_id as object_key, "
            + "case when s.activation_expires_at <= ?1 then 'EXPIRED' else 'EXPIRING' end as threshold, "
            + "s.activation_expires_at as expires_at, s.id as sensor_id "
            + "from sensors s where s.activation_file_id is not null and s.activation_expires_at <= ?2) w "
            + "where not exists (select 1 from expiry_warnings e where e.object_key = w.object_key and e.threshold = w.threshold) "
            + "limit ?3 "
            // Another instance may insert the same rows meanwhile: the loser skips them.
            + "on conflict do nothing returning sensor_id, threshold, expires_at";

    private final EntityManager em;
    private final SystemEvents events;
    private final HeldCertificates held;
    private final CertificatesConfig config;
    private final Clock clock;

    ExpiryWatch(EntityManager em, SystemEvents events, HeldCertificates held, CertificatesConfig config, Clock clock) {
        this.em = em;
        this.events = events;
        this.held = held;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(every = "${sensorfleet.certificates.expiry-check-interval:1h}", delay = 1, delayUnit = TimeUnit.MINUTES,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        check();
    }

    /** Raises what is due now; returns how many notifications this instance raised. */
    public int check() {
        Instant now = clock.instant();
        Instant horizon = now.plus(config.expiryWarning());
        int raised = 0;
        for (HeldCertificates.Held h : held.all()) {
            if (!h.certificate().getNotAfter().toInstant().isAfter(horizon)) {
                raised += QuarkusTransaction.requiringNew().call(() -> certificate(h, now));
            }
        }
        int batch;
        do {
            batch = QuarkusTransaction.requiringNew().call(() -> activations(now, horizon));
            raised += batch;
        } while (batch == BATCH);
        return raised;
    }

    private int certificate(HeldCertificates.Held h, Instant now) {
        X509Certificate c = h.certificate();
        Instant notAfter = c.getNotAfter().toInstant();
        String fingerprint = fingerprint(c);
        int inserted = em.createNativeQuery("insert into expiry_warnings (object_key, threshold, expires_at, raised_at) "
                        + "values (?1, 'EXPIRING', ?2, ?3) on conflict do nothing")
                .setParameter(1, "certificate:" + fingerprint).setParameter(2, notAfter).setParameter(3, now)
                .executeUpdate();
        if (inserted == 0) {
            return 0;
        }
        boolean expired = !now.isBefore(notAfter);
        String message = h.kind().description() + " '" + c.getSubjectX500Principal().getName() + "' (SHA-256 "
                + fingerprint + ") " + (expired ? "expired on " : "expires on ") + notAfter + "; " + advice(h.kind());
        SystemEvent event = SystemEvent.of(NotificationType.CERTIFICATE_EXPIRING, null, message);
        events.record(expired ? event.withSeverity(Severity.MAJOR) : event);
        return 1;
    }

    private int activations(Instant now, Instant horizon) {
        List<Sql.Row> rows = Sql.rows(em, ACTIVATIONS, now, horizon, BATCH);
        List<SystemEvent> raised = new ArrayList<>(rows.size());
        for (Sql.Row r : rows) {
            UUID sensor = r.uuid(0);
            Instant expires = r.instant(2);
            raised.add("EXPIRED".equals(r.string(1))
                    ? SystemEvent.of(NotificationType.ACTIVATION_EXPIRED, sensor, "the activation file expired on " + expires
                    + "; the sensor keeps working, but issue and install a new file")
                    : SystemEvent.of(NotificationType.ACTIVATION_EXPIRING, sensor, "the activation file expires on " + expires
                    + " (in " + Math.max(0, Duration.between(now, expires).toDays()) + " days); issue and install a new file"));
        }
        events.recordAll(raised);
        return raised.size();
    }

    private static String advice(HeldCertificates.Kind kind) {
        return switch (kind) {
            case INTERNAL_CA -> "sensors and console instances trust it: plan its replacement";
            case OPERATOR_PLANE -> "upload a new one (POST /api/v1/certificates/operator)";
            case AGENT_PLANE_SERVER -> "the instance issues itself a new one at its next start";
        };
    }

    static String fingerprint(X509Certificate c) {
        try {
            return Fingerprints.sha256Hex(c.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("a held certificate always encodes", e);
        }
    }
}
