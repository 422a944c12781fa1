package io.sensorfleet.console.web.pages;

import io.sensorfleet.console.forwarding.RuleView;
import io.sensorfleet.console.sites.SiteService;
import io.sensorfleet.console.web.Forms;
import io.sensorfleet.console.zones.ZoneService;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What the edit form of a forwarding rule shows: the stored rule, or (when it was refused) what
 * was posted with each problem next to its field. Header values are never shown, only whether one
 * is stored; the request the form makes is {@link RulePost}'s.
 */
final class RuleForm {
    /**
     * One action row.
     *
     * @param id      empty for the row that adds a new action
     * @param headers the header lines, then one empty line to add a header
     * @param errors  problems by field ("url", "headers", "caCertificatePem", "action"…)
     */
    public record ActionRow(String label, String id, String type, String host, String port, String transport,
                            String format, String timeZone, String url, String ca, List<HeaderRow> headers,
                            boolean removed, Map<String, String> errors) {
    }

    /** One header line; {@code set} when a value is stored for that name (never shown). */
    public record HeaderRow(String name, boolean set) {
    }

    /** One choice of a multiple select. */
    public record Option(UUID id, String label, boolean selected) {
    }

    /** The form's values. {@code sensorsOnForm} false when the rule lists more sensors than the picker holds. */
    public record Shown(String name, String severity, boolean enabled, boolean system, boolean alerts, List<String> zoneIds,
                        List<String> siteIds, String labels, String protocols, String engines, List<String> sensorIds,
                        boolean sensorsOnForm, List<ActionRow> actions, ActionRow newAction) {
    }

    private RuleForm() {
    }

    /** The stored rule. */
    static Shown of(RuleView r) {
        List<ActionRow> rows = new ArrayList<>();
        for (RuleView.ActionView a : r.actions()) {
            List<HeaderRow> headers = new ArrayList<>();
            (a.headers() == null ? Map.<String, String>of() : a.headers()).keySet().forEach(h -> headers.add(new HeaderRow(h, true)));
            headers.add(new HeaderRow("", false));
            rows.add(new ActionRow("Action " + (rows.size() + 1), a.id().toString(), a.type().name(), nz(a.host()),
                    a.port() == null ? "" : a.port().toString(), a.transport() == null ? "UDP" : a.transport().name(),
                    a.format() == null ? "CEF" : a.format().name(), nz(a.timeZone()), nz(a.url()), nz(a.caCertificatePem()),
                    headers, false, Map.of()));
        }
        List<String> sensors = r.filters().sensorIds().stream().map(UUID::toString).toList();
        return new Shown(r.name(), r.minSeverity().name(), r.enabled(), r.reportSystemNotifications(), r.reportAlerts(),
                strings(r.filters().zoneIds()), strings(r.filters().siteIds()), String.join(", ", r.filters().labels()),
                String.join(", ", r.filters().protocols()), String.join(", ", r.filters().engines()), sensors,
                sensors.size() <= RulePost.MAX_PICKED, rows, blank(Map.of()));
    }

    /** What was posted, with the problems that refused it; header values posted are not shown again. */
    static Shown of(RulePost p, RuleView current, FieldErrors errors) {
        List<ActionRow> rows = new ArrayList<>();
        ActionRow added = null;
        for (int i = 0; i < p.rows(); i++) {
            String id = p.at(p.actionId, i);
            RuleView.ActionView old = current.actions().stream().filter(a -> a.id().toString().equals(id)).findFirst()
                    .orElse(null);
            Set<String> stored = old == null || old.headers() == null ? Set.of() : new HashSet<>(old.headers().keySet());
            List<HeaderRow> headers = new ArrayList<>();
            p.posted(i).forEach(h -> headers.add(new HeaderRow(h.name(), stored.contains(h.name()))));
            headers.add(new HeaderRow("", false));
            boolean isNew = old == null;
            if (isNew && added != null) {
                continue;
            }
            ActionRow row = new ActionRow(isNew ? "New action" : "Action " + (rows.size() + 1), isNew ? "" : id,
                    nz(p.at(p.type, i)), nz(p.at(p.host, i)), nz(p.at(p.port, i)), nz(p.at(p.transport, i)),
                    nz(p.at(p.format, i)), nz(p.at(p.timeZone, i)), nz(p.at(p.url, i)), nz(p.at(p.caCertificatePem, i)),
                    headers, p.removed(i), errors.row(i));
            if (isNew) {
                added = row;
            } else {
                rows.add(row);
            }
        }
        boolean onForm = "true".equals(p.sensorsOnForm);
        return new Shown(nz(Forms.text(p.name)), nz(Forms.text(p.minSeverity)), "true".equals(p.enabled),
                "true".equals(p.reportSystemNotifications), "true".equals(p.reportAlerts), orEmpty(p.zoneIds),
                orEmpty(p.siteIds), nz(p.labels), nz(p.protocols), nz(p.engines),
                onForm ? p.pickedSensors() : strings(current.filters().sensorIds()), onForm, rows,
                added != null ? added : blank(Map.of()));
    }

    private static ActionRow blank(Map<String, String> errors) {
        return new ActionRow("New action", "", "", "", "", "UDP", "CEF", "", "", "",
                List.of(new HeaderRow("", false)), false, errors);
    }

    static List<Option> zones(List<ZoneService.View> zones, Map<UUID, String> siteNames, List<String> chosen) {
        Set<String> on = new HashSet<>(chosen);
        return zones.stream().map(z -> new Option(z.id(), z.name() + " (" + siteNames.getOrDefault(z.siteId(), "no site") + ")",
                on.contains(z.id().toString()))).toList();
    }

    static List<Option> sites(List<SiteService.SiteView> sites, List<String> chosen) {
        Set<String> on = new HashSet<>(chosen);
        return sites.stream().map(s -> new Option(s.id(), s.name() + " (" + s.regionName() + ")",
                on.contains(s.id().toString()))).toList();
    }

    private static List<String> strings(List<UUID> ids) {
        return ids.stream().map(UUID::toString).toList();
    }

    private static List<String> orEmpty(List<String> values) {
        return values == null ? List.of() : values.stream().map(String::strip).toList();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
