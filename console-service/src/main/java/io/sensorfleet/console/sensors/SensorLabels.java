package io.sensorfleet.console.sensors;

import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.console.common.Sql;
import io.sensorfleet.console.platform.AuditContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.Size;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Sensor labels (the {@code sensor_labels} table): set and removed in bulk, for listed sensors or
 * every sensor matching a filter, in a few statements whatever the number of sensors. A request
 * that would leave any sensor with more than {@link LabelRules#MAX_PER_SENSOR} labels changes nothing.
 */
@ApplicationScoped
public class SensorLabels {
    /**
     * @param sensorIds the sensors to label; or
     * @param filter    every sensor matching it ({} is the whole fleet)
     * @param set       labels to set (added, or their value replaced)
     * @param remove    keys to remove
     */
    public record Request(@Size(max = 100_000) List<UUID> sensorIds, SensorAssignment.FilterSpec filter,
                          Map<String, String> set, List<String> remove) {
    }

    /** @param sensors how many sensors the request covered */
    public record Result(int sensors, int set, int removed) {
    }

    private final EntityManager em;
    private final SensorService sensors;
    private final AuditContext audit;
    private final Clock clock;

    SensorLabels(EntityManager em, SensorService sensors, AuditContext audit, Clock clock) {
        this.em = em;
        this.sensors = sensors;
        this.audit = audit;
        this.clock = clock;
    }

    @Transactional
    public Result change(Request r) {
        Map<String, String> set = r.set() == null ? Map.of() : r.set();
        List<String> remove = r.remove() == null ? List.of() : r.remove();
        if (set.isEmpty() && remove.isEmpty()) {
            throw ProblemException.badRequest("give labels to set or keys to remove");
        }
        if (set.size() > LabelRules.MAX_PER_REQUEST || remove.size() > LabelRules.MAX_PER_REQUEST) {
            throw ProblemException.badRequest("set, remove: at most " + LabelRules.MAX_PER_REQUEST + " each");
        }
        set.forEach((k, v) -> {
            LabelRules.key("set", k);
            LabelRules.value("set." + k, v);
        });
        remove.forEach(k -> LabelRules.key("remove", k));
        if (remove.stream().anyMatch(set::containsKey)) {
            throw ProblemException.badRequest("remove: a key cannot be both set and removed");
        }
        if (r.sensorIds() != null && r.sensorIds().stream().anyMatch(java.util.Objects::isNull)) {
            throw ProblemException.badRequest("sensorIds: must not contain null");
        }
        String[] ids = sensors.targets(r.sensorIds(), r.filter()).stream().map(UUID::toString).toArray(String[]::new);
        int removed = remove.isEmpty() ? 0 : em.createNativeQuery("delete from sensor_labels where sensor_id in (select unnest(cast(?1 as uuid[]))) "
                        + "and key = any(cast(?2 as text[]))")
                .setParameter(1, ids).setParameter(2, remove.toArray(String[]::new)).executeUpdate();
        int written = 0;
        if (!set.isEmpty()) {
            List<String> keys = new ArrayList<>(set.keySet());
            written = em.createNativeQuery("insert into sensor_labels (sensor_id, key, value, updated_at) "
                            + "select s.id, kv.k, kv.v, ?3 from sensors s "
                            + "cross join unnest(cast(?2 as text[]), cast(?4 as text[])) as kv(k, v) "
                            + "where s.id in (select unnest(cast(?1 as uuid[]))) "
                            + "on conflict (sensor_id, key) do update set value = excluded.value, updated_at = excluded.updated_at "
                            + "where sensor_labels.value <> excluded.value")
                    .setParameter(1, ids).setParameter(2, keys.toArray(String[]::new)).setParameter(3, clock.instant())
                    .setParameter(4, keys.stream().map(set::get).toArray(String[]::new)).executeUpdate();
            Object over = em.createNativeQuery("select sensor_id from sensor_labels where sensor_id in (select unnest(cast(?1 as uuid[]))) "
                            + "group by sensor_id having count(*) > ?2 limit 1")
                    .setParameter(1, ids).setParameter(2, LabelRules.MAX_PER_SENSOR).getResultStream().findFirst().orElse(null);
            if (over != null) {
                throw ProblemException.badRequest("set: sensor " + over + " would have more than "
                        + LabelRules.MAX_PER_SENSOR + " labels; nothing was changed");
            }
        }
        int covered = ((Number) em.createNativeQuery("select count(*) from sensors where id in (select unnest(cast(?1 as uuid[])))")
                .setParameter(1, ids).getSingleResult()).intValue();
        audit.target(ids.length == 1 ? "sensor:" + ids[0] : covered + " sensors");
        audit.detail(describe(set, remove) + " on " + covered + " sensors");
        return new Result(covered, written, removed);
    }

    private static String describe(Map<String, String> set, List<String> remove) {
        List<String> parts = new ArrayList<>();
        if (!set.isEmpty()) {
            parts.add("labels set " + new TreeMap<>(set));
        }
        if (!remove.isEmpty()) {
            parts.add("labels removed " + remove);
        }
        return String.join("; ", parts);
    }

    /** The labels of these sensors, by sensor and key. */
    static Map<UUID, Map<String, String>> of(EntityManager em, Collection<UUID> sensorIds) {
        Map<UUID, Map<String, String>> out = new HashMap<>();
        if (sensorIds.isEmpty()) {
            return out;
        }
        Sql.list(em, "select sensor_id, key, value from sensor_labels where sensor_id = any(cast(?1 as uuid[]))",
                row -> out.computeIfAbsent(row.uuid(0), k -> new TreeMap<>()).put(row.string(1), row.string(2)),
                (Object) sensorIds.stream().map(UUID::toString).toArray(String[]::new));
        return out;
    }
}
