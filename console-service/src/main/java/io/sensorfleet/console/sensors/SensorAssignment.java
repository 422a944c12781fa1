package io.sensorfleet.console.sensors;

import io.sensorfleet.console.platform.AuditContext;
import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.console.zones.Zone;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.Size;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Bulk assignment: one UPDATE for any number of sensors, never a round-trip per sensor, so the
 * whole fleet moves in one request.
 */
@ApplicationScoped
public class SensorAssignment {
    /**
     * @param zoneId    target zone; null unassigns
     * @param sensorIds the sensors to move; or
     * @param filter    move every sensor matching it ({} is the whole fleet)
     */
    public record Request(UUID zoneId, @Size(max = 100_000) List<UUID> sensorIds, FilterSpec filter) {
    }

    /** The inventory filter, as a body ({@code labels}: conditions "key=value" or "key"). */
    public record FilterSpec(Connectivity connectivity, String version, String name, UUID zoneId, Boolean unassigned,
                             UUID siteId, UUID regionId, UUID businessUnitId, io.sensorfleet.protocol.v1.heartbeat.Health.Status health,
                             UpdateStatus updateStatus, @Size(max = LabelRules.MAX_PER_REQUEST) List<String> labels) {

        /** Without update status and label conditions. */
        public FilterSpec(Connectivity connectivity, String version, String name, UUID zoneId, Boolean unassigned,
                          UUID siteId, UUID regionId, UUID businessUnitId,
                          io.sensorfleet.protocol.v1.heartbeat.Health.Status health) {
            this(connectivity, version, name, zoneId, unassigned, siteId, regionId, businessUnitId, health, null, null);
        }

        /** Without a health condition. */
        public FilterSpec(Connectivity connectivity, String version, String name, UUID zoneId, Boolean unassigned,
                          UUID siteId, UUID regionId, UUID businessUnitId) {
            this(connectivity, version, name, zoneId, unassigned, siteId, regionId, businessUnitId, null, null, null);
        }

        public SensorFilter toFilter() {
            return new SensorFilter(connectivity, version, name, zoneId, unassigned, siteId, regionId, businessUnitId,
                    health, updateStatus, labels);
        }
    }

    /** @param changed how many sensors were moved */
    public record Result(UUID zoneId, int changed) {
    }

    private final EntityManager em;
    private final AuditContext audit;

    SensorAssignment(EntityManager em, AuditContext audit) {
        this.em = em;
        this.audit = audit;
    }

    @Transactional
    public Result assign(Request r) {
        if ((r.sensorIds() == null) == (r.filter() == null)) {
            throw ProblemException.badRequest("give exactly one of sensorIds and filter");
        }
        if (r.zoneId() != null && Zone.findById(r.zoneId()) == null) {
            throw ProblemException.badRequest("zoneId: zone " + r.zoneId() + " does not exist");
        }
        audit.target(r.zoneId() == null ? "unassigned" : "zone:" + r.zoneId());
        int changed;
        if (r.sensorIds() != null) {
            if (r.sensorIds().stream().anyMatch(java.util.Objects::isNull)) {
                throw ProblemException.badRequest("sensorIds: must not contain null");
            }
            changed = em.createNativeQuery("update sensors set zone_id = cast(?1 as uuid) "
                            + "where id = any(cast(?2 as uuid[])) and zone_id is distinct from cast(?1 as uuid)")
                    .setParameter(1, r.zoneId() == null ? null : r.zoneId().toString())
                    .setParameter(2, r.sensorIds().stream().map(UUID::toString).toArray(String[]::new))
                    .executeUpdate();
            audit.detail(changed + " of " + r.sensorIds().size() + " listed sensors moved");
        } else {
            Map<String, Object> params = SensorFilter.params();
            String where = r.filter().toFilter().where(params);
            Query q = em.createQuery("update Sensor s set s.zoneId = :target where (" + where
                    + ") and (s.zoneId is null or s.zoneId <> :target or :target is null)");
            q.setParameter("target", r.zoneId());
            params.forEach(q::setParameter);
            changed = q.executeUpdate();
            audit.detail(changed + " sensors matching the filter moved");
        }
        return new Result(r.zoneId(), changed);
    }
}
