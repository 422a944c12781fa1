package io.sensorfleet.console.notifications;

import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.protocol.v1.alerts.AlertReport;

import java.util.ArrayList;
import java.util.List;

/** The checks of an alert a sensor reports (recorded by {@link AlertIntake}, once per sensor and alert id). */
final class SensorAlerts {
    private SensorAlerts() {
    }

    static void check(AlertReport r) {
        if (r == null) {
            throw ProblemException.badRequest("a JSON body is required");
        }
        List<String> errors = new ArrayList<>();
        if (r.alertId() == null || !AlertReport.ALERT_ID.matcher(r.alertId()).matches()) {
            errors.add("alertId: required; letters, digits and . _ : - only, at most 100");
        }
        if (r.title() == null || r.title().isBlank()) {
            errors.add("title: required");
        }
        text(errors, "title", r.title(), 500);
        if (r.severity() == null) {
            errors.add("severity: required, one of WARNING, MINOR, MAJOR, CRITICAL");
        }
        if (r.detectedAt() == null) {
            errors.add("detectedAt: required");
        }
        text(errors, "engine", r.engine(), 100);
        text(errors, "protocol", r.protocol(), 100);
        text(errors, "source", r.source(), 255);
        text(errors, "destination", r.destination(), 255);
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest(String.join("; ", errors));
        }
    }

    private static void text(List<String> errors, String field, String value, int max) {
        if (value == null) {
            return;
        }
        if (value.length() > max) {
            errors.add(field + ": at most " + max + " characters");
        } else if (value.chars().anyMatch(Character::isISOControl)) {
            errors.add(field + ": no control characters (line breaks, tabs)");
        }
    }
}
