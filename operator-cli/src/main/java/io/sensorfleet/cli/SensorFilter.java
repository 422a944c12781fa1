package io.sensorfleet.cli;

import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** The inventory filters of GET /api/v1/sensors; they combine with AND. */
public final class SensorFilter {
    public enum Connectivity { SYNCED, OUT_OF_SYNC, TIME_DIFF_OFFSET, DISCONNECTED }

    public enum Health { OK, DEGRADED, FAILED }

    @Option(names = "--connectivity", paramLabel = "STATE", description = "SYNCED, OUT_OF_SYNC, TIME_DIFF_OFFSET or DISCONNECTED.")
    Connectivity connectivity;

    @Option(names = "--health", paramLabel = "STATUS", description = "OK, DEGRADED or FAILED.")
    Health health;

    @Option(names = "--version", paramLabel = "VERSION", description = "Exact software version.")
    String version;

    @Option(names = "--name", paramLabel = "TEXT", description = "Part of the name (case-insensitive).")
    String name;

    @Option(names = "--zone", paramLabel = "ZONE_ID", description = "Sensors of this zone.")
    UUID zone;

    @Option(names = "--site", paramLabel = "SITE_ID", description = "Sensors of this site.")
    UUID site;

    @Option(names = "--update-status", paramLabel = "STAGE", description = "Stage of the latest update (e.g. FAILED, "
            + "SUCCEEDED, WAITING); NONE: never updated.")
    String updateStatus;

    @Option(names = "--label", paramLabel = "KEY[=VALUE]", description = "Has this label (with this value); repeatable, all must hold.")
    java.util.List<String> labels;

    /** As query parameters of GET /api/v1/sensors (absent filters left out). */
    public Map<String, Object> query() {
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("connectivity", connectivity);
        q.put("health", health);
        q.put("version", version);
        q.put("name", name);
        q.put("zoneId", zone);
        q.put("siteId", site);
        q.put("updateStatus", updateStatus == null ? null : updateStatus.strip().toUpperCase(java.util.Locale.ROOT));
        q.put("label", labels == null || labels.isEmpty() ? null : labels);
        q.values().removeIf(v -> v == null);
        return q;
    }

    /** As the FilterSpec body of the bulk operations (the query's names; label conditions as "labels"). */
    public Map<String, Object> spec() {
        Map<String, Object> s = query();
        Object l = s.remove("label");
        if (l != null) {
            s.put("labels", l);
        }
        return s;
    }

    public boolean isEmpty() {
        return query().isEmpty();
    }
}
