package io.sensorfleet.console.expiry;

import io.sensorfleet.console.certificates.HeldCertificates;
import io.sensorfleet.console.common.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/** What expires within a window: the certificates the console holds and sensors' activation files; for the API and the web console. */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class Expirations {
    private final HeldCertificates held;
    private final EntityManager em;
    private final Clock clock;

    Expirations(HeldCertificates held, EntityManager em, Clock clock) {
        this.held = held;
        this.em = em;
        this.clock = clock;
    }

    /** Soonest first; at most {@value ExpiringResource#MAX_ACTIVATIONS} activation files. */
    public ExpiringResource.Expiring within(int window) {
        Instant now = clock.instant();
        Instant horizon = now.plus(Duration.ofDays(window));
        List<ExpiringItem> items = new ArrayList<>();
        for (HeldCertificates.Held h : held.all()) {
            Instant notAfter = h.certificate().getNotAfter().toInstant();
            if (!notAfter.isAfter(horizon)) {
                items.add(new ExpiringItem(h.kind().name(), h.certificate().getSubjectX500Principal().getName(),
                        ExpiryWatch.fingerprint(h.certificate()), null, null, notAfter, daysLeft(now, notAfter),
                        state(now, notAfter)));
            }
        }
        List<Sql.Row> rows = Sql.rows(em, "select id, name, activation_file_id, activation_expires_at from sensors "
                + "where activation_file_id is not null and activation_expires_at <= ?1 "
                + "order by activation_expires_at, id limit ?2", horizon, ExpiringResource.MAX_ACTIVATIONS + 1);
        for (Sql.Row r : rows.subList(0, Math.min(rows.size(), ExpiringResource.MAX_ACTIVATIONS))) {
            Instant expires = r.instant(3);
            items.add(new ExpiringItem("ACTIVATION_FILE", r.string(1), null, r.uuid(0), r.uuid(2), expires,
                    daysLeft(now, expires), state(now, expires)));
        }
        items.sort(Comparator.comparing(ExpiringItem::expiresAt));
        return new ExpiringResource.Expiring(window, items, rows.size() > ExpiringResource.MAX_ACTIVATIONS);
    }

    /** The certificates alone (a handful), e.g. for the dashboard. */
    public List<ExpiringItem> certificatesWithin(int window) {
        return within(window).items().stream().filter(i -> !"ACTIVATION_FILE".equals(i.kind())).toList();
    }

    private static long daysLeft(Instant now, Instant expires) {
        return Duration.between(now, expires).toDays();
    }

    private static String state(Instant now, Instant expires) {
        return now.isBefore(expires) ? "EXPIRING" : "EXPIRED";
    }
}
