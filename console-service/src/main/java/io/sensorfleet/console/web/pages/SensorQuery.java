package io.sensorfleet.console.web.pages;

import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.console.sensors.Connectivity;
import io.sensorfleet.console.sensors.SensorAssignment;
import io.sensorfleet.console.sensors.SensorFilter;
import io.sensorfleet.console.web.Forms;
import io.sensorfleet.protocol.v1.heartbeat.Health;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The sensor list's filter as the page's query (or the bulk form's hidden fields) carries it,
 * validated like the REST API's query parameters.
 */
public record SensorQuery(Connectivity connectivity, String version, String name, UUID zoneId, Boolean unassigned,
                          UUID siteId, UUID regionId, UUID businessUnitId, Health.Status health) {

    static SensorQuery parse(String connectivity, String version, String name, String zoneId, String unassigned,
                             String siteId, String regionId, String businessUnitId, String health) {
        Health.Status h = null;
        if (health != null && !health.isBlank()) {
            try {
                h = Health.Status.valueOf(health.strip());
            } catch (IllegalArgumentException e) {
                throw ProblemException.badRequest("health: one of OK, DEGRADED, FAILED");
            }
        }
        Connectivity c = null;
        if (connectivity != null && !connectivity.isBlank()) {
            try {
                c = Connectivity.valueOf(connectivity.strip());
            } catch (IllegalArgumentException e) {
                throw ProblemException.badRequest("connectivity: one of SYNCED, OUT_OF_SYNC, TIME_DIFF_OFFSET, DISCONNECTED");
            }
        }
        String v = Forms.text(version);
        String n = Forms.text(name);
        if (v != null && v.length() > 64 || n != null && n.length() > 200) {
            throw ProblemException.badRequest("version: at most 64 characters; name: at most 200");
        }
        return new SensorQuery(c, v, n, Forms.uuid("zoneId", zoneId), "true".equals(unassigned) ? Boolean.TRUE : null,
                Forms.uuid("siteId", siteId), Forms.uuid("regionId", regionId),
                Forms.uuid("businessUnitId", businessUnitId), h);
    }

    SensorFilter filter() {
        return new SensorFilter(connectivity, version, name, zoneId, unassigned, siteId, regionId, businessUnitId, health);
    }

    SensorAssignment.FilterSpec spec() {
        return new SensorAssignment.FilterSpec(connectivity, version, name, zoneId, unassigned, siteId, regionId,
                businessUnitId, health);
    }

    /** The filter as query parameters (for paging links and hidden fields), empty ones left out. */
    public Map<String, String> params() {
        Map<String, String> p = new LinkedHashMap<>();
        put(p, "connectivity", connectivity);
        put(p, "version", version);
        put(p, "name", name);
        put(p, "zoneId", zoneId);
        put(p, "unassigned", unassigned);
        put(p, "siteId", siteId);
        put(p, "regionId", regionId);
        put(p, "businessUnitId", businessUnitId);
        put(p, "health", health);
        return p;
    }

    /** "/ui/sensors?…&amp;" ready for {@code page=n}. */
    String base(int size) {
        StringBuilder b = new StringBuilder("/ui/sensors?");
        params().forEach((k, v) -> b.append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)).append('&'));
        return b.append("size=").append(size).append('&').toString();
    }

    public boolean empty() {
        return params().isEmpty();
    }

    private static void put(Map<String, String> p, String key, Object value) {
        if (value != null) {
            p.put(key, value.toString());
        }
    }
}
