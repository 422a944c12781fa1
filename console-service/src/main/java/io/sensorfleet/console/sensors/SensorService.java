package io.sensorfleet.console.sensors;

import io.sensorfleet.console.common.Page;
import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.console.health.CheckView;
import io.sensorfleet.console.health.SensorHealthQuery;
import io.sensorfleet.console.zones.Zone;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The sensor inventory: list, look up, delete (which revokes the sensor's certificates). */
@ApplicationScoped
@Transactional
public class SensorService {
    private final EntityManager em;
    private final java.time.Clock clock;
    private final SensorHealthQuery health;

    SensorService(EntityManager em, java.time.Clock clock, SensorHealthQuery health) {
        this.em = em;
        this.clock = clock;
        this.health = health;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Page<SensorView> list(SensorFilter filter, int page, int size) {
        Map<String, Object> params = SensorFilter.params();
        String where = filter.where(params);
        TypedQuery<Sensor> q = em.createQuery("select s from Sensor s where " + where + " order by s.name, s.id", Sensor.class);
        TypedQuery<Long> count = em.createQuery("select count(s) from Sensor s where " + where, Long.class);
        params.forEach((k, v) -> {
            q.setParameter(k, v);
            count.setParameter(k, v);
        });
        List<Sensor> sensors = q.setFirstResult(page * size).setMaxResults(size).getResultList();
        Map<UUID, String> zoneNames = zoneNames(sensors);
        Map<UUID, List<CheckView>> failing = health.failing(sensors.stream().filter(s -> !"OK".equals(s.healthStatus))
                .map(s -> s.id).toList());
        Map<UUID, Map<String, String>> labels = SensorLabels.of(em, sensors.stream().map(s -> s.id).toList());
        List<SensorView> items = sensors.stream().map(s -> SensorView.of(s, zoneNames.get(s.zoneId), clock.instant())
                .withFailingChecks(names(failing.get(s.id))).withLabels(labels.get(s.id))).toList();
        return new Page<>(items, page, size, count.getSingleResult());
    }

    /** The sensors a bulk request names: its list of ids, or every sensor matching its filter; exactly one of them. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<UUID> targets(List<UUID> ids, SensorAssignment.FilterSpec filter) {
        if ((ids == null) == (filter == null)) {
            throw ProblemException.badRequest("give exactly one of sensorIds and filter");
        }
        return ids != null ? ids : ids(filter.toFilter());
    }

    /** Ids of every sensor matching the filter (for bulk operations). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<UUID> ids(SensorFilter filter) {
        Map<String, Object> params = SensorFilter.params();
        TypedQuery<UUID> q = em.createQuery("select s.id from Sensor s where " + filter.where(params), UUID.class);
        params.forEach(q::setParameter);
        return q.getResultList();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public SensorView get(UUID id) {
        Sensor s = find(id);
        Zone z = s.zoneId == null ? null : Zone.findById(s.zoneId);
        return SensorView.of(s, z == null ? null : z.name, clock.instant())
                .withFailingChecks(names(health.failing(List.of(id)).get(id)))
                .withLabels(SensorLabels.of(em, List.of(id)).get(id));
    }

    private static List<String> names(List<CheckView> checks) {
        return checks == null ? List.of() : checks.stream().map(CheckView::name).toList();
    }

    /** Deletes the sensor and revokes every certificate it holds, on every instance within the poll interval. */
    public void delete(UUID id) {
        Sensor s = find(id);
        revokeAll(id, "sensor deleted");
        em.createNativeQuery("delete from settings_values where scope = 'SENSOR' and scope_id = ?1")
                .setParameter(1, id).executeUpdate();
        s.delete();
    }

    /** Revocation time is the database's clock: instances poll by it, so it must be one clock for all. */
    public int revokeAll(UUID sensorId, String reason) {
        return em.createNativeQuery("update sensor_certificates set revoked_at = now(), revocation_reason = ?1 "
                        + "where sensor_id = ?2 and revoked_at is null")
                .setParameter(1, reason).setParameter(2, sensorId).executeUpdate();
    }

    private static Sensor find(UUID id) {
        Sensor s = Sensor.findById(id);
        if (s == null) {
            throw ProblemException.notFound("sensor", id);
        }
        return s;
    }

    static Map<UUID, String> zoneNames(List<Sensor> sensors) {
        List<UUID> ids = sensors.stream().map(s -> s.zoneId).filter(java.util.Objects::nonNull).distinct().toList();
        Map<UUID, String> names = new java.util.HashMap<>();
        if (!ids.isEmpty()) {
            Zone.<Zone>list("id in ?1", ids).forEach(z -> names.put(z.id, z.name));
        }
        return names;
    }
}
