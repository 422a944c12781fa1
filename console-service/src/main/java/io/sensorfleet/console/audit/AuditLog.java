package io.sensorfleet.console.audit;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.sensorfleet.console.common.JdbcTransaction;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;

/** Writes audit rows. */
@ApplicationScoped
public class AuditLog {
    /** One change, as it will be kept. */
    public record Entry(String actor, String actorRole, String action, String method, String path, String target,
                        int result, String detail, String sourceAddress) {
    }

    private static final String INSERT_SQL = "insert into audit_log (at, actor, actor_role, action, method, path, "
            + "target, result, detail, source_address) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

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

    /** Inside the caller's JDBC transaction (hot paths that run without the ORM): the same row as {@link #record(Entry)}. */
    public void record(Connection c, Entry e) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT_SQL)) {
            ps.setObject(1, JdbcTransaction.timestamptz(clock.instant()));
            ps.setString(2, truncate(e.actor(), 200));
            ps.setString(3, e.actorRole());
            ps.setString(4, truncate(e.action(), 200));
            ps.setString(5, e.method());
            ps.setString(6, truncate(e.path(), 500));
            ps.setString(7, truncate(e.target(), 500));
            ps.setInt(8, e.result());
            ps.setString(9, truncate(e.detail(), 2000));
            ps.setString(10, e.sourceAddress());
            ps.executeUpdate();
        }
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
