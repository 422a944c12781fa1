package io.sensorfleet.console.sensors;

import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.console.common.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * "Find anything": one text against a sensor's name, id, hostname (the address it reports),
 * labels (key, value or key=value) and certificate serial (decimal, or hex with or without colons).
 * One statement, a union of what each kind of match finds, each by an index: names, hostnames
 * and label keys and values match as substrings (case-insensitive, trigram indexes), ids, serials
 * and "key=value" exactly.
 */
@ApplicationScoped
public class SensorSearch {
    public static final int MAX_QUERY = 200;
    public static final int MAX_RESULTS = 100;
    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{2}(:?[0-9a-fA-F]{2})*|[0-9a-fA-F]+");

    /** @param matched what matched: id, serial, name, hostname or label */
    public record Hit(UUID id, String name, String hostname, String zoneName, Connectivity connectivity,
                      String healthStatus, String matched) {
    }

    private final EntityManager em;

    SensorSearch(EntityManager em) {
        this.em = em;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Hit> find(String text, int limit) {
        String q = text == null ? "" : text.strip();
        if (q.isEmpty() || q.length() > MAX_QUERY || q.chars().anyMatch(Character::isISOControl)) {
            throw ProblemException.badRequest("q: 1 to " + MAX_QUERY + " characters, no control characters");
        }
        if (limit < 1 || limit > MAX_RESULTS) {
            throw ProblemException.badRequest("limit: 1 to " + MAX_RESULTS);
        }
        String lower = q.toLowerCase(Locale.ROOT);
        int eq = q.indexOf('=');
        UUID id = uuid(q);
        // A whole id is looked up as one, not as a substring: its trigrams are common to many names.
        String like = id != null ? ""
                : "%" + lower.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        BigDecimal[] serials = serials(q);
        return Sql.list(em, "select s.id, s.name, s.hostname, z.name, s.connectivity, s.health_status, "
                        + "case when s.id = cast(?1 as uuid) then 'id' "
                        + "when s.certificate_serial in (?2, ?3) then 'serial' "
                        + "when lower(s.name) like ?4 then 'name' "
                        + "when lower(s.hostname) like ?4 then 'hostname' else 'label' end "
                        + "from sensors s left join zones z on z.id = s.zone_id where s.id in ("
                        + "select id from sensors where id = cast(?1 as uuid) "
                        + "union select id from sensors where certificate_serial in (?2, ?3) "
                        + (id != null ? "" : "union select id from sensors where lower(name) like ?4 or lower(hostname) like ?4 "
                        + "union select sensor_id from sensor_labels where lower(key) like ?4 or lower(value) like ?4 ")
                        + "union select sensor_id from sensor_labels where key = ?5 and value = ?7) "
                        + "order by lower(s.name), s.id limit ?6",
                r -> new Hit(r.uuid(0), r.string(1), r.string(2), r.string(3), Connectivity.valueOf(r.string(4)),
                        r.string(5), r.string(6)),
                id == null ? null : id.toString(), serials[0], serials[1], like, eq < 0 ? "" : q.substring(0, eq),
                limit, eq < 0 ? "" : q.substring(eq + 1));
    }

    private static UUID uuid(String q) {
        try {
            return q.length() == 36 ? UUID.fromString(q) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The text read as a decimal serial and as a hex one; -1 (no certificate has it) where it is not one. */
    private static BigDecimal[] serials(String q) {
        BigDecimal none = BigDecimal.ONE.negate();
        BigDecimal dec = q.length() <= 40 && q.chars().allMatch(Character::isDigit) ? new BigDecimal(q) : none;
        BigDecimal hex = q.length() <= 64 && HEX.matcher(q).matches()
                ? new BigDecimal(new BigInteger(q.replace(":", ""), 16)) : none;
        return new BigDecimal[]{dec, hex};
    }
}
