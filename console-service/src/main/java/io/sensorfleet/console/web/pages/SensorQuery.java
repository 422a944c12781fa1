package io.sensorfleet.console.web.pages;

import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.console.sensors.Connectivity;
import io.sensorfleet.console.sensors.SensorAssignment;
import io.sensorfleet.console.sensors.SensorFilter;
import io.sensorfleet.console.sensors.UpdateStatus;
import io.sensorfleet.console.web.Forms;
import io.sensorfleet.protocol.v1.heartbeat.Health;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The sensor list's filter as the page's query (or the bulk form's hidden fields) carries it,
 * validated like the REST API's query parameters.
 */
public record SensorQuery(Connectivity connectivity, String version, String name, UUID zoneId, Boolean unassigned,
                          UUID siteId, UUID regionId, UUID businessUnitId, Health.Status health,
                          UpdateStatus updateStatus, List<String> labels) {

    static SensorQuery parse(String connectivity, String version, String name, String zoneId, String unassigned,
                             String siteId, String regionId, String businessUnitId, String health,
                             String updateStatus, List<String> labels) {
        UpdateStatus u = null;
        if (updateStatus != null && !updateStatus.isBlank()) {
            try {
                u = UpdateStatus.valueOf(updateStatus.strip());
            } catch (IllegalArgumentException e) {
                throw ProblemException.badRequest("updateStatus: one of " + java.util.Arrays.toString(UpdateStatus.values()));
            }
        }
        List<String> l = labels == null ? List.of() : labels.stream().map(Forms::text).filter(java.util.Objects::nonNull).toList();
        new SensorFilter(null, null, null, null, null, null, null, null, null, null, l);
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
                Forms.uuid("businessUnitId", businessUnitId), h, u, l);
    }

    SensorFilter filter() {
        return new SensorFilter(connectivity, version, name, zoneId, unassigned, siteId, regionId, businessUnitId, health,
                updateStatus, labels);
    }

    SensorAssignment.FilterSpec spec() {
        return new SensorAssignment.FilterSpec(connectivity, version, name, zoneId, unassigned, siteId, regionId,
                businessUnitId, health, updateStatus, labels);
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
        put(p, "updateStatus", updateStatus);
        return p;
    }

    /** Every parameter, labels repeated, for links and hidden fields. */
    public List<Map.Entry<String, String>> fields() {
        List<Map.Entry<String, String>> f = new java.util.ArrayList<>(params().entrySet());
        labels.forEach(l -> f.add(Map.entry("label", l)));
        return f;
    }

    /** The query string of the filter (for the export links). */
    public String query() {
        StringBuilder b = new StringBuilder();
        fields().forEach(e -> b.append(b.isEmpty() ? "" : "&").append(e.getKey()).append('=')
                .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)));
        return b.toString();
    }

    /** "/ui/sensors?…&amp;" ready for {@code page=n}. */
    String base(int size) {
        StringBuilder b = new StringBuilder("/ui/sensors?");
        fields().forEach(e -> b.append(e.getKey()).append('=').append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .append('&'));
        return b.append("size=").append(size).append('&').toString();
    }

    public boolean empty() {
        return params().isEmpty() && labels.isEmpty();
    }

    private static void put(Map<String, String> p, String key, Object value) {
        if (value != null) {
            p.put(key, value.toString());
        }
    }
}
