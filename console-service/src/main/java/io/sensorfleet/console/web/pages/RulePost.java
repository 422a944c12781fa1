package io.sensorfleet.console.web.pages;

import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.console.forwarding.RuleRequest;
import io.sensorfleet.console.forwarding.RuleView;
import io.sensorfleet.console.forwarding.WebhookHeaderSecrets;
import io.sensorfleet.console.web.Forms;
import org.jboss.resteasy.reactive.RestForm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The fields of a posted rule edit form and the {@link RuleRequest} they make. Action fields come
 * one value per form row, in form order (the new-action row last); webhook headers come as
 * triples (row, name, value) so that a row may have any number. The request is checked by the API's
 * validator afterwards; this only refuses what cannot become a request at all (a port that is no
 * number, an id that is no id).
 */
public class RulePost {
    /** Most sensors the form's picker lists; a rule limited to more keeps them, changed through the API. */
    static final int MAX_PICKED = SensorPicker.MAX_CHOSEN;

    @RestForm String name;
    @RestForm String minSeverity;
    @RestForm String enabled;
    @RestForm String reportSystemNotifications;
    @RestForm String reportAlerts;
    @RestForm List<String> zoneIds;
    @RestForm List<String> siteIds;
    @RestForm String labels;
    @RestForm String protocols;
    @RestForm String engines;
    /** "true" when the form carried the sensor picker; otherwise the rule's sensors are kept. */
    @RestForm String sensorsOnForm;
    @RestForm List<String> sensorId;
    @RestForm List<String> actionId;
    @RestForm List<String> type;
    @RestForm List<String> host;
    @RestForm List<String> port;
    @RestForm List<String> transport;
    @RestForm List<String> format;
    @RestForm List<String> timeZone;
    @RestForm List<String> url;
    @RestForm List<String> caCertificatePem;
    @RestForm List<String> remove;
    /** For each posted header: the index of the form row it belongs to. */
    @RestForm List<String> headerRow;
    @RestForm List<String> headerName;
    @RestForm List<String> headerValue;

    /** For each action of the request being made, the form row it came from (to show problems next to their field). */
    private final List<Integer> rowOfAction = new ArrayList<>();

    /** One posted header line; a null value (left blank) keeps the stored one when the header exists. */
    record Line(String name, String value) {
    }

    int rows() {
        return type == null ? 0 : type.size();
    }

    String at(List<String> values, int i) {
        return values == null || i >= values.size() ? null : Forms.text(values.get(i));
    }

    boolean removed(int row) {
        String id = at(actionId, row);
        return id != null && remove != null && remove.contains(id);
    }

    List<String> pickedSensors() {
        return sensorId == null ? List.of() : sensorId;
    }

    /** The request the form makes; the rows of its actions are in {@link #rowOfAction()}, also when this fails. */
    RuleRequest bind(RuleView current) {
        List<RuleRequest.Action> actions = new ArrayList<>();
        rowOfAction.clear();
        for (int i = 0; i < rows(); i++) {
            String id = at(actionId, i);
            String kind = at(type, i);
            if (kind == null || removed(i)) {
                continue;
            }
            UUID key = id == null ? null : Forms.requiredUuid("actionId", id);
            RuleView.ActionView old = current.actions().stream().filter(a -> a.id().equals(key)).findFirst().orElse(null);
            String at = "actions[" + actions.size() + "]";
            boolean webhook = "WEBHOOK".equals(kind);
            rowOfAction.add(i);
            actions.add(new RuleRequest.Action(key, kind, webhook ? null : at(host, i), webhook ? null : port(at, at(port, i)),
                    webhook ? null : at(transport, i), webhook ? null : at(format, i), webhook ? null : at(timeZone, i),
                    webhook ? at(url, i) : null, webhook ? headers(at, i, old) : null, at(caCertificatePem, i),
                    // Not on the form (set through the API): an edit keeps the stored batch size.
                    webhook && old != null ? old.batchMaxEvents() : null));
        }
        RuleRequest.Filters filters = new RuleRequest.Filters(list(protocols), list(engines),
                Forms.uuids("filters.zoneIds", zoneIds, 1000), sensors(current),
                Forms.uuids("filters.siteIds", siteIds, 1000), list(labels));
        return new RuleRequest(Forms.text(name), "true".equals(enabled), Forms.text(minSeverity),
                "true".equals(reportSystemNotifications), "true".equals(reportAlerts), filters, actions);
    }

    List<Integer> rowOfAction() {
        return rowOfAction;
    }

    /**
     * The headers posted for one row. A line without a name is left out (clearing a name removes
     * the header); a blank value keeps the stored value of a header of that name, which the form
     * never shows.
     */
    Map<String, String> headers(String at, int row, RuleView.ActionView old) {
        Map<String, String> stored = old == null || old.headers() == null ? Map.of() : old.headers();
        Map<String, String> out = new LinkedHashMap<>();
        for (Line h : posted(row)) {
            if (out.containsKey(h.name())) {
                throw ProblemException.badRequest(at + ".headers: '" + h.name() + "' is given twice");
            }
            out.put(h.name(), h.value() == null && stored.containsKey(h.name()) ? WebhookHeaderSecrets.MASK
                    : h.value() == null ? "" : h.value());
        }
        return out;
    }

    /** The header lines posted for a row, in form order: each name with its value (null when left blank). */
    List<Line> posted(int row) {
        List<Line> out = new ArrayList<>();
        int n = headerRow == null ? 0 : headerRow.size();
        for (int i = 0; i < n; i++) {
            String key = at(headerName, i);
            if (key == null || !String.valueOf(row).equals(headerRow.get(i).strip())) {
                continue;
            }
            String value = headerValue == null || i >= headerValue.size() || headerValue.get(i).isEmpty() ? null
                    : checked(headerValue.get(i));
            out.add(new Line(key, value));
        }
        return out;
    }

    private List<UUID> sensors(RuleView current) {
        if (!"true".equals(sensorsOnForm)) {
            return current.filters().sensorIds();
        }
        return Forms.uuids("filters.sensorIds", sensorId, MAX_PICKED).stream().distinct().toList();
    }

    private static String checked(String value) {
        Forms.text(value);
        return value;
    }

    private static Integer port(String at, String text) {
        try {
            return text == null ? null : Integer.valueOf(text);
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest(at + ".port: a number from 1 to 65535");
        }
    }

    /** Comma-separated values; empty gives none. */
    static List<String> list(String text) {
        String t = Forms.text(text);
        return t == null ? List.of() : Arrays.stream(t.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
