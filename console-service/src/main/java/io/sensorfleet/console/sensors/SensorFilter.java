package io.sensorfleet.console.sensors;

import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.protocol.v1.heartbeat.Health;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Inventory filter; every field optional, all combine with AND. {@code unassigned} selects
 * sensors in no zone; site, region and business unit select the sensors of every zone below them.
 *
 * @param name   substring of the name, case-insensitive
 * @param health       the health the sensor last reported
 * @param updateStatus the stage of its latest update ({@link UpdateStatus}), NONE for never updated
 * @param labels       label conditions, each "key=value" or "key" (has the key); all must hold
 */
public record SensorFilter(Connectivity connectivity, String version, String name, UUID zoneId, Boolean unassigned,
                           UUID siteId, UUID regionId, UUID businessUnitId, Health.Status health,
                           UpdateStatus updateStatus, List<String> labels) {

    public SensorFilter {
        labels = labels == null ? List.of() : List.copyOf(labels);
        if (labels.size() > LabelRules.MAX_PER_REQUEST) {
            throw ProblemException.badRequest("label: at most " + LabelRules.MAX_PER_REQUEST + " label conditions");
        }
        labels.forEach(LabelRules.Selector::parse);
    }

    /** Without update status and label conditions. */
    public SensorFilter(Connectivity connectivity, String version, String name, UUID zoneId, Boolean unassigned,
                        UUID siteId, UUID regionId, UUID businessUnitId, Health.Status health) {
        this(connectivity, version, name, zoneId, unassigned, siteId, regionId, businessUnitId, health, null, null);
    }

    /** Without a health condition. */
    public SensorFilter(Connectivity connectivity, String version, String name, UUID zoneId, Boolean unassigned,
                        UUID siteId, UUID regionId, UUID businessUnitId) {
        this(connectivity, version, name, zoneId, unassigned, siteId, regionId, businessUnitId, null);
    }

    private static final String ZONES_OF_SITES = "s.zoneId in (select z.id from Zone z where z.siteId in ";

    /** JPQL condition on alias {@code s} and its parameters. */
    String where(Map<String, Object> params) {
        List<String> and = new ArrayList<>();
        if (connectivity != null) {
            and.add("s.connectivity = :connectivity");
            params.put("connectivity", connectivity);
        }
        if (health != null) {
            and.add("s.healthStatus = :health");
            params.put("health", health.name());
        }
        if (updateStatus == UpdateStatus.NONE) {
            and.add("s.updateStatus is null");
        } else if (updateStatus != null) {
            and.add("s.updateStatus = :updateStatus");
            params.put("updateStatus", updateStatus.name());
        }
        for (int i = 0; i < labels.size(); i++) {
            LabelRules.Selector sel = LabelRules.Selector.parse(labels.get(i));
            String cond = "exists (select 1 from SensorLabel l" + i + " where l" + i + ".sensorId = s.id and l" + i
                    + ".key = :labelKey" + i;
            params.put("labelKey" + i, sel.key());
            if (sel.value() != null) {
                cond += " and l" + i + ".value = :labelValue" + i;
                params.put("labelValue" + i, sel.value());
            }
            and.add(cond + ")");
        }
        if (version != null && !version.isBlank()) {
            and.add("s.softwareVersion = :version");
            params.put("version", version.strip());
        }
        if (name != null && !name.isBlank()) {
            and.add("lower(s.name) like :name escape '\\'");
            params.put("name", "%" + name.strip().toLowerCase().replace("\\", "\\\\").replace("%", "\\%")
                    .replace("_", "\\_") + "%");
        }
        if (zoneId != null) {
            and.add("s.zoneId = :zoneId");
            params.put("zoneId", zoneId);
        }
        if (Boolean.TRUE.equals(unassigned)) {
            and.add("s.zoneId is null");
        }
        if (siteId != null) {
            and.add("s.zoneId in (select z.id from Zone z where z.siteId = :siteId)");
            params.put("siteId", siteId);
        }
        if (regionId != null) {
            and.add(ZONES_OF_SITES + "(select st.id from Site st where st.regionId = :regionId))");
            params.put("regionId", regionId);
        }
        if (businessUnitId != null) {
            and.add(ZONES_OF_SITES + "(select st.id from Site st where st.regionId in "
                    + "(select r.id from Region r where r.businessUnitId = :businessUnitId)))");
            params.put("businessUnitId", businessUnitId);
        }
        return and.isEmpty() ? "1 = 1" : String.join(" and ", and);
    }

    static Map<String, Object> params() {
        return new HashMap<>();
    }
}
