package io.sensorfleet.console.notifications;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Filter of the notification list; every field optional.
 *
 * @param minSeverity this severity and above
 * @param suppressed  true: only those held back by a maintenance window; false: only the others
 * @param from        occurred at or after
 * @param to          occurred before
 */
public record NotificationFilter(NotificationCategory category, NotificationType type, Severity minSeverity,
                                 UUID sensorId, UUID zoneId, Boolean suppressed, Instant from, Instant to) {

    /** JPQL condition on alias {@code n} and its parameters. */
    String where(Map<String, Object> params) {
        List<String> and = new ArrayList<>();
        if (category != null) {
            and.add("n.category = :category");
            params.put("category", category);
        }
        if (type != null) {
            and.add("n.type = :type");
            params.put("type", type);
        }
        if (minSeverity != null) {
            and.add("n.severity in :severities");
            params.put("severities", Arrays.stream(Severity.values()).filter(s -> s.atLeast(minSeverity)).toList());
        }
        if (sensorId != null) {
            and.add("n.sensorId = :sensor");
            params.put("sensor", sensorId);
        }
        if (zoneId != null) {
            and.add("n.zoneId = :zone");
            params.put("zone", zoneId);
        }
        if (suppressed != null) {
            and.add(suppressed ? "n.suppressedBy is not null" : "n.suppressedBy is null");
        }
        if (from != null) {
            and.add("n.occurredAt >= :from");
            params.put("from", from);
        }
        if (to != null) {
            and.add("n.occurredAt < :to");
            params.put("to", to);
        }
        return and.isEmpty() ? "1 = 1" : String.join(" and ", and);
    }
}
