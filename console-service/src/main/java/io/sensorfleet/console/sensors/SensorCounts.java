package io.sensorfleet.console.sensors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
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

    @Inject
    EntityManager em;

    @Transactional(Transactional.TxType.SUPPORTS)
    @SuppressWarnings("unchecked")
    public List<Group> count(GroupBy by) {
        String key = switch (by) {
            case zone -> "z.id, z.name";
            case site -> "st.id, st.name";
            case region -> "r.id, r.name";
            case businessUnit -> "b.id, b.name";
        };
        List<Object[]> rows = em.createNativeQuery("select " + key + ", count(*), "
                + "count(*) filter (where s.connectivity = 'SYNCED'), "
                + "count(*) filter (where s.connectivity = 'OUT_OF_SYNC'), "
                + "count(*) filter (where s.connectivity = 'TIME_DIFF_OFFSET'), "
                + "count(*) filter (where s.connectivity = 'DISCONNECTED') "
                + "from sensors s left join zones z on z.id = s.zone_id left join sites st on st.id = z.site_id "
                + "left join regions r on r.id = st.region_id left join business_units b on b.id = r.business_unit_id "
                + "group by " + key + " order by 2 nulls first").getResultList();
        return rows.stream().map(r -> new Group((UUID) r[0], (String) r[1], n(r[2]), n(r[3]), n(r[4]), n(r[5]), n(r[6])))
                .toList();
    }

    /** Sensors per software version, most common first. */
    public record VersionCount(String version, long sensors) {
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    @SuppressWarnings("unchecked")
    public List<VersionCount> byVersion() {
        List<Object[]> rows = em.createNativeQuery("select software_version, count(*) from sensors "
                + "group by software_version order by 2 desc, 1").getResultList();
        return rows.stream().map(r -> new VersionCount((String) r[0], n(r[1]))).toList();
    }

    /** Sensors whose activation expires within {@link SensorView#EXPIRY_WARNING} of {@code now} or has expired, soonest first. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<SensorView> expiringActivations(java.time.Instant now, int limit) {
        return em.createQuery("select s from Sensor s where s.activationExpiresAt is not null "
                        + "and s.activationExpiresAt < :horizon order by s.activationExpiresAt, s.id", Sensor.class)
                .setParameter("horizon", now.plus(SensorView.EXPIRY_WARNING)).setMaxResults(limit).getResultList()
                .stream().map(s -> SensorView.of(s, null, now)).toList();
    }

    private static long n(Object o) {
        return ((Number) o).longValue();
    }
}
