package io.sensorfleet.console.forwarding;

import io.sensorfleet.console.notifications.NotificationCategory;
import io.sensorfleet.console.notifications.NotificationView;
import io.sensorfleet.console.notifications.Severity;
import io.sensorfleet.console.sensors.LabelRules;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A rule as routing sees it, and whether it takes a notification. Filters left empty match
 * anything; protocol and engine filters concern alerts (a system notification has neither and
 * passes them); zone and sensor filters concern both, and a notification about no sensor (or a
 * sensor in no zone) does not pass a sensor (or zone) filter. A site filter looks at the site of the
 * notification's zone, a label filter at its sensor's labels (each "key=value" or "key"; all must
 * hold); both are resolved by the router once per batch, and only when some rule needs them.
 *
 * @param protocols lower-cased
 * @param engines   lower-cased
 * @param actionIds where a matching notification goes
 */
record RuleMatcher(UUID ruleId, Severity minSeverity, boolean reportSystemNotifications, boolean reportAlerts,
                   Set<String> protocols, Set<String> engines, Set<UUID> zoneIds, Set<UUID> sensorIds,
                   Set<UUID> siteIds, List<LabelRules.Selector> labels, List<UUID> actionIds) {

    /** Without site and label filters (tests). */
    RuleMatcher(UUID ruleId, Severity minSeverity, boolean reportSystemNotifications, boolean reportAlerts,
                Set<String> protocols, Set<String> engines, Set<UUID> zoneIds, Set<UUID> sensorIds, List<UUID> actionIds) {
        this(ruleId, minSeverity, reportSystemNotifications, reportAlerts, protocols, engines, zoneIds, sensorIds,
                Set.of(), List.of(), actionIds);
    }

    boolean needsSites() {
        return !siteIds.isEmpty();
    }

    boolean needsLabels() {
        return !labels.isEmpty();
    }

    boolean matches(NotificationView n) {
        return matches(n, null, Map.of());
    }

    /**
     * @param siteId       the site of the notification's zone, or null
     * @param sensorLabels the labels of its sensor, empty when it has none (or no sensor)
     */
    boolean matches(NotificationView n, UUID siteId, Map<String, String> sensorLabels) {
        boolean alert = n.category() == NotificationCategory.ALERT;
        if (alert ? !reportAlerts : !reportSystemNotifications) {
            return false;
        }
        if (!n.severity().atLeast(minSeverity)) {
            return false;
        }
        if (alert && !in(protocols, n.protocol())) {
            return false;
        }
        if (alert && !in(engines, n.engine())) {
            return false;
        }
        if (!zoneIds.isEmpty() && (n.zoneId() == null || !zoneIds.contains(n.zoneId()))) {
            return false;
        }
        if (!siteIds.isEmpty() && (siteId == null || !siteIds.contains(siteId))) {
            return false;
        }
        if (!sensorIds.isEmpty() && (n.sensorId() == null || !sensorIds.contains(n.sensorId()))) {
            return false;
        }
        for (LabelRules.Selector l : labels) {
            String value = sensorLabels.get(l.key());
            if (value == null || l.value() != null && !l.value().equals(value)) {
                return false;
            }
        }
        return true;
    }

    private static boolean in(Set<String> filter, String value) {
        return filter.isEmpty() || value != null && filter.contains(value.toLowerCase(Locale.ROOT));
    }
}
