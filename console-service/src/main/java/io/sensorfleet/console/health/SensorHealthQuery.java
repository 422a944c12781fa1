package io.sensorfleet.console.health;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.console.common.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Reads the stored health: one sensor's checks, the failing checks of a page of sensors, counts by status. */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class SensorHealthQuery {
    private static final TypeReference<List<CheckView>> CHECKS = new TypeReference<>() {
    };

    /** Sensors by health; {@code unknown}: sensors that never reported a health. */
    public record Counts(long ok, long degraded, long failed, long unknown) {
        public long total() {
            return ok + degraded + failed + unknown;
        }
    }

    private final EntityManager em;
    private final ObjectMapper json;

    @Inject
    SensorHealthQuery(EntityManager em, ObjectMapper json) {
        this.em = em;
        this.json = json;
    }

    /** The sensor's health, with status null when it has not reported one; 404 for a sensor not in the inventory. */
    public SensorHealthView of(UUID sensorId) {
        Sql.Row r = Sql.row(em, "select h.status, h.since, h.reported_at, h.checks::text from sensors s "
                + "left join sensor_health h on h.sensor_id = s.id where s.id = ?1", sensorId);
        if (r == null) {
            throw ProblemException.notFound("sensor", sensorId);
        }
        return new SensorHealthView(sensorId, r.string(0), r.instant(1), r.instant(2), read(r.string(3)));
    }

    /** The checks that are not OK, of each of these sensors that has any. */
    public Map<UUID, List<CheckView>> failing(Collection<UUID> sensorIds) {
        Map<UUID, List<CheckView>> out = new HashMap<>();
        if (sensorIds.isEmpty()) {
            return out;
        }
        List<Sql.Row> rows = Sql.rows(em, "select sensor_id, checks::text from sensor_health "
                        + "where sensor_id = any(cast(?1 as uuid[])) and status <> 'OK'",
                (Object) sensorIds.stream().map(UUID::toString).toArray(String[]::new));
        for (Sql.Row r : rows) {
            List<CheckView> failing = read(r.string(1)).stream().filter(CheckView::failing).toList();
            if (!failing.isEmpty()) {
                out.put(r.uuid(0), failing);
            }
        }
        return out;
    }

    public Counts counts() {
        Map<String, Long> by = new HashMap<>();
        Sql.rows(em, "select coalesce(h.status, 'UNKNOWN'), count(*) from sensors s "
                        + "left join sensor_health h on h.sensor_id = s.id group by 1")
                .forEach(r -> by.put(r.string(0), r.longValue(1)));
        return new Counts(by.getOrDefault("OK", 0L), by.getOrDefault("DEGRADED", 0L), by.getOrDefault("FAILED", 0L),
                by.getOrDefault("UNKNOWN", 0L));
    }

    private List<CheckView> read(String checks) {
        try {
            return checks == null ? List.of() : json.readValue(checks, CHECKS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored health checks are not readable", e);
        }
    }
}
