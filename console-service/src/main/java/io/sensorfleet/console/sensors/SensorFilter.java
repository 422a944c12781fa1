package io.sensorfleet.console.sensors;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Inventory filter; every field optional. {@code unassigned} selects sensors in no zone.
 *
 * @param name substring of the name, case-insensitive
 */
public record SensorFilter(Connectivity connectivity, String version, String name, UUID zoneId, Boolean unassigned) {

    /** JPQL condition on alias {@code s} and its parameters. */
    String where(Map<String, Object> params) {
        List<String> and = new ArrayList<>();
        if (connectivity != null) {
            and.add("s.connectivity = :connectivity");
            params.put("connectivity", connectivity);
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
        return and.isEmpty() ? "1 = 1" : String.join(" and ", and);
    }

    static SensorFilter none() {
        return new SensorFilter(null, null, null, null, null);
    }

    static Map<String, Object> params() {
        return new HashMap<>();
    }
}
