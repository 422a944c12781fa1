package io.sensorfleet.console.expiry;

import io.sensorfleet.console.auth.Role;
import io.sensorfleet.console.certificates.HeldCertificates;
import io.sensorfleet.console.common.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

@Path("/api/v1/certificates/expiring")
@Tag(name = "Certificates")
public class ExpiringResource {
    static final int MAX_DAYS = 3650;
    static final int MAX_ACTIVATIONS = 1000;

    /**
     * @param truncated more activation files expire in the window than the {@value #MAX_ACTIVATIONS} listed
     */
    public record Expiring(int days, List<ExpiringItem> items, boolean truncated) {
    }

    @Inject
    HeldCertificates held;
    @Inject
    EntityManager em;
    @Inject
    Clock clock;

    @GET
    @RolesAllowed({Role.ADMIN_NAME, Role.ANALYST_NAME, Role.READ_ONLY_NAME})
    @Transactional(Transactional.TxType.SUPPORTS)
    @Operation(summary = "List what expires soon", description = "Certificates the console holds (internal CA, the "
            + "operator-plane certificate and the agent-plane server certificate of the answering instance) and "
            + "sensors' activation files that expire within `days` (default 30, 0 to 3650) or already expired, "
            + "soonest first. At most 1000 activation files are listed; `truncated` says when there are more.")
    public Expiring list(@QueryParam("days") String days) {
        int window = days(days);
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
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select id, name, activation_file_id, activation_expires_at from sensors "
                        + "where activation_file_id is not null and activation_expires_at <= ?1 "
                        + "order by activation_expires_at, id limit ?2")
                .setParameter(1, horizon).setParameter(2, MAX_ACTIVATIONS + 1).getResultList();
        for (Object[] r : rows.subList(0, Math.min(rows.size(), MAX_ACTIVATIONS))) {
            Instant expires = (Instant) r[3];
            items.add(new ExpiringItem("ACTIVATION_FILE", (String) r[1], null, (UUID) r[0], (UUID) r[2], expires,
                    daysLeft(now, expires), state(now, expires)));
        }
        items.sort(Comparator.comparing(ExpiringItem::expiresAt));
        return new Expiring(window, items, rows.size() > MAX_ACTIVATIONS);
    }

    private static int days(String days) {
        if (days == null || days.isBlank()) {
            return 30;
        }
        try {
            int d = Integer.parseInt(days.strip());
            if (d >= 0 && d <= MAX_DAYS) {
                return d;
            }
        } catch (NumberFormatException e) {
            // same answer as out of range
        }
        throw ProblemException.badRequest("days: a whole number of days from 0 to " + MAX_DAYS);
    }

    private static long daysLeft(Instant now, Instant expires) {
        return Duration.between(now, expires).toDays();
    }

    private static String state(Instant now, Instant expires) {
        return now.isBefore(expires) ? "EXPIRING" : "EXPIRED";
    }
}
