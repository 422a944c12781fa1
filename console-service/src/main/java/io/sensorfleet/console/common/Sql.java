package io.sensorfleet.console.common;

import jakarta.persistence.EntityManager;

import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Native SQL in the caller's transaction: positional parameters ({@code ?1}, {@code ?2}, …) and rows
 * read through typed getters or mapped to records, so no caller casts {@code Object[]} cells.
 */
public final class Sql {
    private Sql() {
    }

    /** Maps one result row to a value. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(Row row);
    }

    /** Every row, mapped. */
    public static <T> List<T> list(EntityManager em, String sql, RowMapper<T> mapper, Object... params) {
        List<T> out = new ArrayList<>();
        for (Object o : raw(em, sql, params)) {
            out.add(mapper.map(new Row(o)));
        }
        return out;
    }

    /** The first row, mapped, if there is one. */
    public static <T> Optional<T> first(EntityManager em, String sql, RowMapper<T> mapper, Object... params) {
        List<?> rows = raw(em, sql, params);
        return rows.isEmpty() ? Optional.empty() : Optional.ofNullable(mapper.map(new Row(rows.get(0))));
    }

    /** Every row. */
    public static List<Row> rows(EntityManager em, String sql, Object... params) {
        return list(em, sql, r -> r, params);
    }

    /** The first row, or null when there is none. */
    public static Row row(EntityManager em, String sql, Object... params) {
        return first(em, sql, r -> r, params).orElse(null);
    }

    private static List<?> raw(EntityManager em, String sql, Object... params) {
        var q = em.createNativeQuery(sql);
        for (int i = 0; i < params.length; i++) {
            q.setParameter(i + 1, params[i]);
        }
        return q.getResultList();
    }

    /** One result row (a one-column row too), read by column index from 0 with the type the caller expects. */
    public static final class Row {
        private final Object[] cells;

        Row(Object result) {
            this.cells = result instanceof Object[] a ? a : new Object[]{result};
        }

        /** A row of a query run without this class (paged JPA native queries). */
        public static Row of(Object result) {
            return new Row(result);
        }

        /** The cells from {@code n} on, as a row of their own (a view joined to another). */
        public Row skip(int n) {
            return new Row(java.util.Arrays.copyOfRange(cells, n, cells.length));
        }

        /** The cell as the driver returned it. */
        public Object get(int i) {
            return cells[i];
        }

        public String string(int i) {
            return cells[i] == null ? null : cells[i].toString();
        }

        public UUID uuid(int i) {
            Object o = cells[i];
            return o == null ? null : o instanceof UUID u ? u : UUID.fromString(o.toString());
        }

        /** A number; 0 for SQL null (counts and sums over nothing). */
        public long longValue(int i) {
            return cells[i] == null ? 0 : ((Number) cells[i]).longValue();
        }

        public Long nullableLong(int i) {
            return cells[i] == null ? null : ((Number) cells[i]).longValue();
        }

        /** A number; 0 for SQL null. */
        public int intValue(int i) {
            return cells[i] == null ? 0 : ((Number) cells[i]).intValue();
        }

        public Integer nullableInt(int i) {
            return cells[i] == null ? null : ((Number) cells[i]).intValue();
        }

        public Boolean bool(int i) {
            return (Boolean) cells[i];
        }

        public byte[] bytes(int i) {
            return (byte[]) cells[i];
        }

        public BigDecimal decimal(int i) {
            Object o = cells[i];
            return o == null ? null : o instanceof BigDecimal d ? d : new BigDecimal(o.toString());
        }

        public Instant instant(int i) {
            return instant(cells[i]);
        }

        public LocalDate date(int i) {
            Object o = cells[i];
            return o == null ? null : o instanceof LocalDate d ? d : ((Date) o).toLocalDate();
        }

        /** A timestamp however the driver and Hibernate return it. */
        public static Instant instant(Object o) {
            if (o == null) {
                return null;
            }
            if (o instanceof Instant i) {
                return i;
            }
            if (o instanceof OffsetDateTime odt) {
                return odt.toInstant();
            }
            if (o instanceof Timestamp ts) {
                return ts.toInstant();
            }
            return Instant.parse(o.toString());
        }
    }
}
