package io.sensorfleet.console.common;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * One short transaction on a plain JDBC connection, outside JTA and the ORM, for hot paths where
 * their per-request work cost more than the SQL itself (the enrollment burst: Hibernate and the
 * transaction manager were a third of the console's CPU per enrollment). Each table's owner
 * contributes statements that take the {@link Connection}; the caller decides where the
 * transaction begins and ends.
 */
public final class JdbcTransaction {
    private JdbcTransaction() {
    }

    /** Work inside the transaction; a thrown exception rolls it back. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} in one transaction and commits; rolls back and rethrows when it throws. */
    public static <T> T run(DataSource dataSource, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollback(c, e);
                throw e;
            } finally {
                // The pool hands the connection out again: leave it as it was given.
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("database transaction failed: " + e.getMessage(), e);
        }
    }

    /**
     * One statement that only reads, on a connection in auto-commit mode: a single statement is
     * atomic by itself, and it saves the {@code COMMIT} round trip that {@link #run} costs.
     */
    public static <T> T read(DataSource dataSource, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new IllegalStateException("database read failed: " + e.getMessage(), e);
        }
    }

    /** An instant as the JDBC driver takes it for a {@code timestamptz} parameter. */
    public static OffsetDateTime timestamptz(Instant at) {
        return at == null ? null : OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    }

    private static void rollback(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
