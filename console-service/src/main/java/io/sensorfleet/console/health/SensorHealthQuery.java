package io.sensorfleet.console.health;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sensorfleet.console.common.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.time.OffsetDateTime;
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
    @SuppressWarnings("unchecked")
    public SensorHealthView of(UUID sensorId) {
        List<Object[]> rows = em.createNativeQuery("select h.status, h.since, h.reported_at, h.checks::text from sensors s "
                + "left join sensor_health h on h.sensor_id = s.id where s.id = ?1").setParameter(1, sensorId).getResultList();
        if (rows.isEmpty()) {
            throw ProblemException.notFound("sensor", sensorId);
        }
        Object[] r = rows.get(0);
        return new SensorHealthView(sensorId, (String) r[0], instant(r[1]), instant(r[2]), read((String) r[3]));
    }

    /** The checks that are not OK, of each of these sensors that has any. */
    @SuppressWarnings("unchecked")
    public Map<UUID, List<CheckView>> failing(Collection<UUID> sensorIds) {
        Map<UUID, List<CheckView>> out = new HashMap<>();
        if (sensorIds.isEmpty()) {
            return out;
        }
        List<Object[]> rows = em.createNativeQuery("select sensor_id, checks::text from sensor_health "
                        + "where sensor_id = any(cast(?1 as uuid[])) and status <> 'OK'")
                .setParameter(1, sensorIds.stream().map(UUID::toString).toArray(String[]::new)).getResultList();
        for (Object[] r : rows) {
            List<CheckView> failing = read((String) r[1]).stream().filter(CheckView::failing).toList();
            if (!failing.isEmpty()) {
                out.put((UUID) r[0], failing);
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    public Counts counts() {
        List<Object[]> rows = em.createNativeQuery("select coalesce(h.status, 'UNKNOWN'), count(*) from sensors s "
                + "left join sensor_health h on h.sensor_id = s.id group by 1").getResultList();
        Map<String, Long> by = new HashMap<>();
        rows.forEach(r -> by.put((String) r[0], ((Number) r[1]).longValue()));
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

    private static Instant instant(Object o) {
        return switch (o) {
            case null -> null;
            case Instant i -> i;
            case OffsetDateTime t -> t.toInstant();
            case java.sql.Timestamp t -> t.toInstant();
            default -> throw new IllegalStateException("not a time: " + o.getClass());
        };
    }
}
