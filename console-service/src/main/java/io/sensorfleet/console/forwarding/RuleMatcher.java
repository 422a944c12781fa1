package io.sensorfleet.console.forwarding;

import io.sensorfleet.console.notifications.NotificationCategory;
import io.sensorfleet.console.notifications.NotificationView;
import io.sensorfleet.console.notifications.Severity;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * A rule as routing sees it, and whether it takes a notification. Filters left empty match
 * anything; protocol and engine filters concern alerts (a system notification has neither and
 * passes them); zone and sensor filters concern both, and a notification about no sensor (or a
 * sensor in no zone) does not pass a sensor (or zone) filter. Site filters come with sites.
 *
 * @param protocols lower-cased
 * @param engines   lower-cased
 * @param actionIds where a matching notification goes
 */
record RuleMatcher(UUID ruleId, Severity minSeverity, boolean reportSystemNotifications, boolean reportAlerts,
                   Set<String> protocols, Set<String> engines, Set<UUID> zoneIds, Set<UUID> sensorIds,
                   List<UUID> actionIds) {

    boolean matches(NotificationView n) {
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
        return sensorIds.isEmpty() || n.sensorId() != null && sensorIds.contains(n.sensorId());
    }

    private static boolean in(Set<String> filter, String value) {
        return filter.isEmpty() || value != null && filter.contains(value.toLowerCase(Locale.ROOT));
    }
}
