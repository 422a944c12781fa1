package io.sensorfleet.console.support;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Bodies of forwarding rules for tests; each rule is limited to the test's own sensors so tests do not see each other's. */
public final class Rules {
    private Rules() {
    }

    public static Map<String, Object> webhook(String url) {
        return Map.of("type", "WEBHOOK", "url", url);
    }

    public static Map<String, Object> syslog(int port, String transport, String format) {
        return Map.of("type", "SYSLOG", "host", "127.0.0.1", "port", port, "transport", transport, "format", format);
    }

    /** A rule for the system notifications and alerts (WARNING and above) of these sensors. */
    public static Map<String, Object> forSensors(List<String> sensorIds, List<Map<String, Object>> actions) {
        Map<String, Object> rule = new HashMap<>();
        rule.put("name", "rule-" + UUID.randomUUID());
        rule.put("minSeverity", "WARNING");
        rule.put("reportSystemNotifications", true);
        rule.put("reportAlerts", true);
        rule.put("filters", Map.of("sensorIds", sensorIds));
        rule.put("actions", actions);
        return rule;
    }

    public static Map<String, Object> with(Map<String, Object> rule, String key, Object value) {
        Map<String, Object> copy = new HashMap<>(rule);
        copy.put(key, value);
        return copy;
    }
}
