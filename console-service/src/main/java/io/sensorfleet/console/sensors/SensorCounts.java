package io.sensorfleet.console.sensors;

import io.sensorfleet.console.common.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.util.List;
import java.util.UUID;

/** Sensors per connectivity state per zone, site, region or business unit: what a dashboard shows. */
@ApplicationScoped
public class SensorCounts {
    public enum GroupBy { zone, site, region, businessUnit }

    /** One group; id and name null for sensors in no zone. */
    public record Group(UUID id, String name, long total, long synced, long outOfSync, long timeDiffOffset,
                        long disconnected) {
    }

    private final EntityManager em;

    SensorCounts(EntityManager em) {
        this.em = em;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Group> count(GroupBy by) {
        String key = switch (by) {
            case zone -> "z.id, z.name";
            case site -> "st.id, st.name";
            case region -> "r.id, r.name";
            case businessUnit -> "b.id, b.name";
        };
        return Sql.list(em, "select " + key + ", count(*), "
                + "count(*) filter (where s.connectivity = 'SYNCED'), "
                + "count(*) filter (where s.connectivity = 'OUT_OF_SYNC'), "
                + "count(*) filter (where s.connectivity = 'TIME_DIFF_OFFSET'), "
                + "count(*) filter (where s.connectivity = 'DISCONNECTED') "
                + "from sensors s left join zones z on z.id = s.zone_id left join sites st on st.id = z.site_id "
                + "left join regions r on r.id = st.region_id left join business_units b on b.id = r.business_unit_id "
                + "group by " + key + " order by 2 nulls first",
                r -> new Group(r.uuid(0), r.string(1), r.longValue(2), r.longValue(3), r.longValue(4), r.longValue(5),
                        r.longValue(6)));
    }

    /** Sensors per software version, most common first. */
    public record VersionCount(String version, long sensors) {
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<VersionCount> byVersion() {
        return Sql.list(em, "select software_version, count(*) from sensors "
                        + "group by software_version order by 2 desc, 1",
                r -> new VersionCount(r.string(0), r.longValue(1)));
    }

    /** Sensors whose activation expires within {@link SensorView#EXPIRY_WARNING} of {@code now} or has expired, soonest first. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<SensorView> expiringActivations(java.time.Instant now, int limit) {
        return em.createQuery("select s from Sensor s where s.activationExpiresAt is not null "
                        + "and s.activationExpiresAt < :horizon order by s.activationExpiresAt, s.id", Sensor.class)
                .setParameter("horizon", now.plus(SensorView.EXPIRY_WARNING)).setMaxResults(limit).getResultList()
                .stream().map(s -> SensorView.of(s, null, now)).toList();
    }
}
