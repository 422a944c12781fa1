package io.sensorfleet.console.audit;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;

/** Writes audit rows. */
@ApplicationScoped
public class AuditLog {
    /** One change, as it will be kept. */
    public record Entry(String actor, String actorRole, String action, String method, String path, String target,
                        int result, String detail, String sourceAddress) {
    }

    private final Clock clock;

    AuditLog(Clock clock) {
        this.clock = clock;
    }

    /** Inside the caller's transaction: the row exists exactly when the change does. */
    public void record(Entry e) {
        AuditEntry row = new AuditEntry();
        row.at = clock.instant();
        row.actor = truncate(e.actor(), 200);
        row.actorRole = e.actorRole();
        row.action = truncate(e.action(), 200);
        row.method = e.method();
        row.path = truncate(e.path(), 500);
        row.target = truncate(e.target(), 500);
        row.result = e.result();
        row.detail = truncate(e.detail(), 2000);
        row.sourceAddress = e.sourceAddress();
        row.persist();
    }

    /** In a transaction of its own: also kept when the request failed and rolled back. */
    public void recordAlone(Entry e) {
        QuarkusTransaction.requiringNew().run(() -> record(e));
    }

    /** Also keeps a row whose text carries a NUL (which PostgreSQL cannot store): the attempt is what matters. */
    private static String truncate(String s, int max) {
        String t = s == null || s.length() <= max ? s : s.substring(0, max);
        return t == null ? null : t.replace('\0', '\uFFFD');
    }
}
