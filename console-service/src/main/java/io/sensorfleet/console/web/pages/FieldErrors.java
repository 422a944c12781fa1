package io.sensorfleet.console.web.pages;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The problems of a refused rule, as the API words them ({@code actions[1].port: …; name: …}),
 * sorted to the form fields they concern so that each is shown next to its field. An action's
 * problems are put on the form row the action came from (removed and empty rows make no action).
 * Every problem also stays in {@link #all()} for the summary at the top of the form.
 */
final class FieldErrors {
    /** Where a problem starts: a field path and a colon ("filters.labels[0]: ", "reportSystemNotifications, reportAlerts: "). */
    private static final Pattern START = Pattern.compile("^[A-Za-z][A-Za-z0-9_.\\[\\]-]*(, [A-Za-z][A-Za-z0-9_.\\[\\]-]*)*: ");
    private static final Pattern ACTION = Pattern.compile("^actions\\[(\\d+)](?:\\.([A-Za-z]+))?");
    static final FieldErrors NONE = new FieldErrors(List.of(), Map.of(), Map.of());

    private final List<String> all;
    private final Map<String, String> fields;
    private final Map<Integer, Map<String, String>> rows;

    private FieldErrors(List<String> all, Map<String, String> fields, Map<Integer, Map<String, String>> rows) {
        this.all = all;
        this.fields = fields;
        this.rows = rows;
    }

    /** @param rowOfAction for each action of the refused request, its form row; null when the request was never made */
    static FieldErrors of(String detail, List<Integer> rowOfAction) {
        List<String> all = split(detail);
        Map<String, String> fields = new LinkedHashMap<>();
        Map<Integer, Map<String, String>> rows = new LinkedHashMap<>();
        for (String problem : all) {
            int colon = problem.indexOf(": ");
            String path = colon < 0 ? "" : problem.substring(0, colon);
            Matcher m = ACTION.matcher(path);
            if (m.find() && rowOfAction != null && Integer.parseInt(m.group(1)) < rowOfAction.size()) {
                int row = rowOfAction.get(Integer.parseInt(m.group(1)));
                String field = m.group(2) == null ? "action" : m.group(2);
                rows.computeIfAbsent(row, r -> new LinkedHashMap<>()).merge(field, problem, (a, b) -> a + "; " + b);
            } else {
                fields.merge(field(path), problem, (a, b) -> a + "; " + b);
            }
        }
        return new FieldErrors(all, fields, rows);
    }

    private static String field(String path) {
        if (path.startsWith("reportSystemNotifications")) {
            return "reports";
        }
        String p = path.startsWith("filters.") ? path.substring("filters.".length()) : path;
        int bracket = p.indexOf('[');
        return bracket < 0 ? p : p.substring(0, bracket);
    }

    /** The API joins problems with "; ", which may also occur inside one: a piece starts a problem only with a field path. */
    private static List<String> split(String detail) {
        List<String> out = new ArrayList<>();
        for (String piece : (detail == null ? "" : detail).split("; ")) {
            if (out.isEmpty() || START.matcher(piece).find()) {
                out.add(piece);
            } else {
                out.set(out.size() - 1, out.getLast() + "; " + piece);
            }
        }
        return out;
    }

    List<String> all() {
        return all;
    }

    /** The problems of a rule field ("name", "minSeverity", "reports", "labels", "sensorIds"…), or an empty map. */
    Map<String, String> fields() {
        return fields;
    }

    /** The problems of one form row by action field ("url", "headers", "caCertificatePem", "action"…). */
    Map<String, String> row(int row) {
        return rows.getOrDefault(row, Map.of());
    }
}
