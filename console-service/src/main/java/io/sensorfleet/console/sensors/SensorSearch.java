package io.sensorfleet.console.sensors;

import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.console.common.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * "Find anything": one text against a sensor's id (whole), certificate serial (decimal, or hex with
 * or without colons), name and hostname (the address it reports), and labels (key=value exactly, or
 * part of a key or value). Names, hostnames and labels match as case-insensitive substrings from
 * {@link #MIN_SUBSTRING} characters on; a shorter text matches the start of names and hostnames only:
 * the trigram indexes find a word's first one or two characters, but not one or two characters
 * anywhere, which would read every row.
 *
 * <p>One statement: each kind of match is its own branch, with its own ORDER BY and LIMIT, so each
 * branch is planned alone and uses what serves it: the trigram indexes for a rare text (then sort the
 * few matches), the name index for a common one (walk names in order, stop at the limit), the primary
 * key, the serial index, the label key/value index. No index is added for search: every heartbeat
 * rewrites its sensor's row, and with it an entry in every index of the table.
 */
@ApplicationScoped
public class SensorSearch {
    public static final int MAX_QUERY = 200;
    public static final int MAX_RESULTS = 100;
    /** The shortest text matched anywhere inside names, hostnames and labels (a trigram). */
    public static final int MIN_SUBSTRING = 3;
    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{2}(:?[0-9a-fA-F]{2})*|[0-9a-fA-F]+");
    private static final String NAME_ORDER = "lower(s.name), s.id";

    /** @param matched what matched: id, serial, name, hostname or label (the first of these when several did) */
    public record Hit(UUID id, String name, String hostname, String zoneName, Connectivity connectivity,
                      String healthStatus, String matched) {
    }

    /** Settings for the search's transaction, set before its statement (why: at {@link #find}). */
    static final String SETTINGS = "select set_config('plan_cache_mode', 'force_custom_plan', true), "
            + "set_config('max_parallel_workers_per_gather', '0', true)";

    record Statement(String sql, List<Object> params) {
    }

    private final EntityManager em;

    SensorSearch(EntityManager em) {
        this.em = em;
    }

    // A transaction, for settings local to it. The statement's text is the same for every search of one
    // shape, so after a few runs the driver prepares it once and PostgreSQL may switch to a generic plan
    // made without the text, which cannot tell a rare text (trigram index, then sort) from a common one
    // (walk names in order); custom plans are made for each text. A parallel walk of names in order
    // with a LIMIT read most of a 100,000-sensor table where the plain walk stopped after a few thousand
    // rows (EXPLAIN ANALYZE: 550 ms against 35 ms), so search plans are not parallel.
    @Transactional
    public List<Hit> find(String text, int limit) {
        String q = text == null ? "" : text.strip();
        if (q.isEmpty() || q.length() > MAX_QUERY || q.chars().anyMatch(Character::isISOControl)) {
            throw ProblemException.badRequest("q: 1 to " + MAX_QUERY + " characters, no control characters");
        }
        if (limit < 1 || limit > MAX_RESULTS) {
            throw ProblemException.badRequest("limit: 1 to " + MAX_RESULTS);
        }
        Statement statement = statement(q, limit);
        em.createNativeQuery(SETTINGS).getResultList();
        return Sql.list(em, statement.sql(),
                r -> new Hit(r.uuid(0), r.string(1), r.string(2), r.string(3), Connectivity.valueOf(r.string(4)),
                        r.string(5), r.string(6)),
                statement.params().toArray());
    }

    /** The search statement for a valid text, with positional parameters ?1, ?2, … (for its plan, in a test too). */
    static Statement statement(String q, int limit) {
        Branches b = new Branches(limit);
        UUID id = uuid(q);
        if (id != null) {
            // A whole id is looked up as one, not as a substring: its trigrams are common to many names.
            b.add("id", "s.id = cast(?" + b.param(id.toString()) + " as uuid)");
        } else {
            serial(q, b);
            String escaped = q.toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
            if (q.length() >= MIN_SUBSTRING) {
                int like = b.param("%" + escaped + "%");
                b.add("name", "lower(s.name) like ?" + like);
                b.add("hostname", "lower(s.hostname) like ?" + like);
                b.add("label", "exists (select 1 from sensor_labels l where l.sensor_id = s.id and "
                        + "(lower(l.key) like ?" + like + " or lower(l.value) like ?" + like + "))");
            } else {
                int prefix = b.param(escaped + "%");
                b.add("name", "lower(s.name) like ?" + prefix);
                b.add("hostname", "lower(s.hostname) like ?" + prefix);
            }
            int eq = q.indexOf('=');
            if (eq > 0) {
                b.add("label", "exists (select 1 from sensor_labels l where l.sensor_id = s.id and l.key = ?"
                        + b.param(q.substring(0, eq).strip()) + " and l.value = ?" + b.param(q.substring(eq + 1).strip()) + ")");
            }
        }
        return new Statement("select s.id, s.name, s.hostname, z.name, s.connectivity, s.health_status, h.matched "
                + "from (select distinct on (id) id, matched from (" + String.join(" union all ", b.sql)
                + ") found order by id, rank) h join sensors s on s.id = h.id "
                + "left join zones z on z.id = s.zone_id order by " + NAME_ORDER + " limit ?" + b.limit, b.params);
    }

    /** A decimal serial, and a hex one (with or without colons), where the text reads as one. */
    private static void serial(String q, Branches b) {
        List<BigDecimal> serials = new ArrayList<>();
        if (q.length() <= 40 && q.chars().allMatch(Character::isDigit)) {
            serials.add(new BigDecimal(q));
        }
        if (q.length() <= 64 && HEX.matcher(q).matches()) {
            serials.add(new BigDecimal(new BigInteger(q.replace(":", ""), 16)));
        }
        for (BigDecimal serial : serials) {
            b.add("serial", "s.certificate_serial = ?" + b.param(serial));
        }
    }

    private static UUID uuid(String q) {
        try {
            return q.length() == 36 ? UUID.fromString(q) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The branches of the union (one per kind of match, best kind first) and their parameters. */
    private static final class Branches {
        private static final List<String> RANK = List.of("id", "serial", "name", "hostname", "label");
        final List<String> sql = new ArrayList<>();
        final List<Object> params = new ArrayList<>();
        final int limit;

        Branches(int limit) {
            this.limit = param(limit);
        }

        int param(Object value) {
            params.add(value);
            return params.size();
        }

        void add(String matched, String condition) {
            sql.add("(select s.id, " + RANK.indexOf(matched) + " as rank, '" + matched + "' as matched from sensors s "
                    + "where " + condition + " order by " + NAME_ORDER + " limit ?" + limit + ")");
        }
    }
}
