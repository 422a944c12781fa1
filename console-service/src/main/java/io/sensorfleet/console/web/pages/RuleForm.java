package io.sensorfleet.console.web.pages;

import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.console.forwarding.RuleRequest;
import io.sensorfleet.console.forwarding.RuleView;
import io.sensorfleet.console.sites.SiteService;
import io.sensorfleet.console.web.Forms;
import io.sensorfleet.console.zones.ZoneService;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The edit form of a forwarding rule: what it shows (the rule's actions as rows of strings, the
 * zones and sites to choose from) and the request its fields make. The rule is checked by the same
 * validator as the API's; this only turns form fields into a {@link RuleRequest}.
 */
final class RuleForm {
    /** One action row; {@code id} empty for the row that adds a new action. */
    public record ActionRow(String label, String id, String type, String host, String port, String transport, String format,
                            String timeZone, String url) {
    }

    /** One choice of a multiple select. */
    public record Option(UUID id, String label, boolean selected) {
    }

    /** The action fields as posted: one value per row, in form order (the new-action row last). */
    record PostedActions(List<String> actionId, List<String> type, List<String> host, List<String> port,
                         List<String> transport, List<String> format, List<String> timeZone, List<String> url,
                         List<String> remove) {
    }

    private RuleForm() {
    }

    static List<ActionRow> rows(RuleView rule) {
        List<ActionRow> rows = new ArrayList<>();
        for (RuleView.ActionView a : rule.actions()) {
            rows.add(new ActionRow("Action " + (rows.size() + 1), a.id().toString(), a.type().name(), nz(a.host()),
                    a.port() == null ? "" : a.port().toString(), a.transport() == null ? "UDP" : a.transport().name(),
                    a.format() == null ? "CEF" : a.format().name(), nz(a.timeZone()), nz(a.url())));
        }
        return rows;
    }

    static List<Option> zones(List<ZoneService.View> zones, Map<UUID, String> siteNames, List<UUID> chosen) {
        Set<UUID> on = new HashSet<>(chosen);
        return zones.stream().map(z -> new Option(z.id(), z.name() + " (" + siteNames.getOrDefault(z.siteId(), "no site") + ")",
                on.contains(z.id()))).toList();
    }

    static List<Option> sites(List<SiteService.SiteView> sites, List<UUID> chosen) {
        Set<UUID> on = new HashSet<>(chosen);
        return sites.stream().map(s -> new Option(s.id(), s.name() + " (" + s.regionName() + ")", on.contains(s.id()))).toList();
    }

    /**
     * The request the form makes of the rule as it is now. Existing webhook actions keep their
     * headers, CA (shown masked, kept as stored) and batch size; a row whose type is left empty adds nothing.
     */
    static RuleRequest request(RuleView current, String name, String minSeverity, String enabled, String system,
                               String alerts, List<String> zoneIds, List<String> siteIds, String labels,
                               String protocols, String engines, PostedActions p) {
        List<RuleRequest.Action> actions = new ArrayList<>();
        Set<String> removed = new HashSet<>(p.remove() == null ? List.of() : p.remove());
        int rows = p.type() == null ? 0 : p.type().size();
        for (int i = 0; i < rows; i++) {
            String id = at(p.actionId(), i);
            String type = at(p.type(), i);
            if (type == null || id != null && removed.contains(id)) {
                continue;
            }
            UUID actionId = id == null ? null : Forms.requiredUuid("actionId", id);
            RuleView.ActionView old = current.actions().stream().filter(a -> a.id().equals(actionId)).findFirst().orElse(null);
            boolean webhook = "WEBHOOK".equals(type);
            Integer port = webhook ? null : port(at(p.port(), i));
            actions.add(new RuleRequest.Action(actionId, type, webhook ? null : at(p.host(), i), port,
                    webhook ? null : at(p.transport(), i), webhook ? null : at(p.format(), i),
                    webhook ? null : at(p.timeZone(), i), webhook ? at(p.url(), i) : null,
                    webhook ? (old == null || old.headers() == null ? Map.of() : old.headers()) : null,
                    old == null ? null : old.caCertificatePem(),
                    webhook && old != null ? old.batchMaxEvents() : null));
        }
        // Sensor filters are not on the form (a rule may list thousands): they are kept as they are.
        RuleRequest.Filters filters = new RuleRequest.Filters(list(protocols), list(engines),
                Forms.uuids("zoneIds", zoneIds, 1000), current.filters().sensorIds(),
                Forms.uuids("siteIds", siteIds, 1000), list(labels));
        return new RuleRequest(Forms.text(name), "true".equals(enabled), Forms.text(minSeverity), "true".equals(system),
                "true".equals(alerts), filters, actions);
    }

    private static Integer port(String text) {
        try {
            return text == null ? null : Integer.valueOf(text);
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("port: a number from 1 to 65535");
        }
    }

    /** Comma-separated values; empty gives none. */
    private static List<String> list(String text) {
        String t = Forms.text(text);
        return t == null ? List.of() : Arrays.stream(t.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static String at(List<String> values, int i) {
        return values == null || i >= values.size() ? null : Forms.text(values.get(i));
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
