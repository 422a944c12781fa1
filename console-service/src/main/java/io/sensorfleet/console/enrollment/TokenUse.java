package io.sensorfleet.console.enrollment;

import io.sensorfleet.console.common.ProblemException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

import static io.sensorfleet.console.common.JdbcTransaction.timestamptz;

/**
 * Spending a one-time token, in plain JDBC on the enrollment path. The spending is one conditional
 * UPDATE: of any number of concurrent attempts with the same token, on any number of console
 * instances, exactly one matches the row (the others wait for its row lock, then see it used).
 */
final class TokenUse {
    /** The token that was spent: which one, and the zone it pre-assigns (or null). */
    record Spent(UUID tokenId, UUID zoneId) {
    }

    private static final String SPEND_SQL = "update enrollment_tokens set used_at = ?, used_by_sensor = ? "
            + "where token_hash = ? and used_at is null and revoked_at is null and expires_at > ? "
            + "returning id, zone_id";
    private static final String STATE_SQL = "select used_at, revoked_at, expires_at from enrollment_tokens "
            + "where token_hash = ?";

    private TokenUse() {
    }

    /** Spends the token for {@code sensor} in the caller's transaction, or null when it cannot be spent. */
    static Spent spend(Connection c, byte[] hash, UUID sensor, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SPEND_SQL)) {
            ps.setObject(1, timestamptz(now));
            ps.setObject(2, sensor);
            ps.setBytes(3, hash);
            ps.setObject(4, timestamptz(now));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Spent(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)) : null;
            }
        }
    }

    /** Why the token cannot be spent now, or null when it still can. */
    static ProblemException refusal(Connection c, byte[] hash, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(STATE_SQL)) {
            ps.setBytes(1, hash);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return EnrollmentProblem.unknown();
                }
                Instant usedAt = instant(rs, 1);
                Instant revokedAt = instant(rs, 2);
                Instant expiresAt = instant(rs, 3);
                if (usedAt != null) {
                    return EnrollmentProblem.used(usedAt);
                }
                if (revokedAt != null) {
                    return EnrollmentProblem.revoked(revokedAt);
                }
                return expiresAt.isAfter(now) ? null : EnrollmentProblem.expired(expiresAt);
            }
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        java.time.OffsetDateTime t = rs.getObject(column, java.time.OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
