package io.sensorfleet.console.forwarding;

import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.console.notifications.Severity;
import io.sensorfleet.console.sensors.LabelRules;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks a {@link RuleRequest} and normalises it. Every problem found is reported at once, each
 * starting with the field it is in ({@code actions[1].port: …}); nothing is saved when any is found.
 */
final class RuleValidator {
    static final int MAX_ACTIONS = 10;
    static final int MAX_FILTER_VALUES = 100;
    /** Most notifications in one webhook request: about 500 KB of JSON, well inside what receivers take. */
    static final int MAX_BATCH = 500;
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9_-]{1,100}");
    /** Set by the console or by the HTTP client itself; a rule may not replace them. */
    private static final Set<String> RESERVED_HEADERS = Set.of("host", "content-length", "connection", "expect",
            "upgrade", "transfer-encoding", "te", "trailer", "keep-alive", "proxy-connection", "content-type",
            WebhookSender.EVENT_ID_HEADER.toLowerCase(Locale.ROOT), WebhookSender.EVENT_COUNT_HEADER.toLowerCase(Locale.ROOT));

    /** A checked action; {@code id} null for a new one. */
    record ValidAction(UUID id, ActionKind kind, ActionSettings settings) {
    }

    /** A checked rule. */
    record ValidRule(String name, boolean enabled, Severity minSeverity, boolean reportSystemNotifications,
                     boolean reportAlerts, String[] protocols, String[] engines, UUID[] zoneIds, UUID[] sensorIds,
                     UUID[] siteIds, String[] labels, List<ValidAction> actions) {
    }

    private final List<String> errors = new ArrayList<>();

    private RuleValidator() {
    }

    static ValidRule rule(RuleRequest r) {
        if (r == null) {
            throw ProblemException.badRequest("a JSON body is required");
        }
        RuleValidator v = new RuleValidator();
        String name = r.name() == null ? null : r.name().strip();
        if (name == null || name.isEmpty()) {
            v.errors.add("name: required");
        } else if (name.length() > 100) {
            v.errors.add("name: at most 100 characters");
        } else if (name.chars().anyMatch(Character::isISOControl)) {
            v.errors.add("name: no control characters");
        }
        Severity min = v.severity(r.minSeverity());
        boolean system = Boolean.TRUE.equals(r.reportSystemNotifications());
        boolean alerts = Boolean.TRUE.equals(r.reportAlerts());
        if (!system && !alerts) {
            v.errors.add("reportSystemNotifications, reportAlerts: a rule must report system notifications, alerts or both");
        }
        RuleRequest.Filters f = r.filters() == null ? RuleRequest.Filters.none() : r.filters();
        String[] protocols = v.words("filters.protocols", f.protocols());
        String[] engines = v.words("filters.engines", f.engines());
        UUID[] zones = v.ids("filters.zoneIds", f.zoneIds());
        UUID[] sensors = v.ids("filters.sensorIds", f.sensorIds());
        UUID[] sites = v.ids("filters.siteIds", f.siteIds());
        String[] labels = v.labels("filters.labels", f.labels());
        List<ValidAction> actions = new ArrayList<>();
        if (r.actions() == null || r.actions().isEmpty()) {
            v.errors.add("actions: at least one action is required");
        } else if (r.actions().size() > MAX_ACTIONS) {
            v.errors.add("actions: at most " + MAX_ACTIONS);
        } else {
            for (int i = 0; i < r.actions().size(); i++) {
                ValidAction a = v.action("actions[" + i + "]", r.actions().get(i));
                if (a != null) {
                    actions.add(a);
                }
            }
        }
        v.throwIfAny();
        return new ValidRule(name, r.enabled() == null || r.enabled(), min, system, alerts, protocols, engines, zones,
                sensors, sites, labels, actions);
    }

    /** Checks one action on its own, e.g. for a test message before saving. */
    static ValidAction action(RuleRequest.Action a) {
        RuleValidator v = new RuleValidator();
        ValidAction valid = v.action("action", a);
        v.throwIfAny();
        return valid;
    }

    private ValidAction action(String at, RuleRequest.Action a) {
        if (a == null) {
            errors.add(at + ": must not be null");
            return null;
        }
        ActionKind kind = parse(at + ".type", a.type(), ActionKind.class);
        if (kind == null) {
            return null;
        }
        int before = errors.size();
        ActionSettings settings = kind == ActionKind.SYSLOG ? syslog(at, a) : webhook(at, a);
        return errors.size() == before ? new ValidAction(a.id(), kind, settings) : null;
    }

    private ActionSettings syslog(String at, RuleRequest.Action a) {
        String host = a.host() == null ? null : a.host().strip();
        if (host == null || host.isEmpty()) {
            errors.add(at + ".host: required");
        } else if (!isHost(host)) {
            errors.add(at + ".host: '" + printable(host) + "' is not a host name or IP address");
        }
        if (a.port() == null) {
            errors.add(at + ".port: required");
        } else if (a.port() < 1 || a.port() > 65535) {
            errors.add(at + ".port: must be between 1 and 65535");
        }
        SyslogTransport transport = parse(at + ".transport", a.transport(), SyslogTransport.class);
        SyslogFormat format = parse(at + ".format", a.format(), SyslogFormat.class);
        String zone = a.timeZone() == null || a.timeZone().isBlank() ? "UTC" : a.timeZone().strip();
        try {
            ZoneId.of(zone);
        } catch (DateTimeException e) {
            errors.add(at + ".timeZone: '" + printable(zone) + "' is not a time zone (use an IANA name such as Europe/Paris)");
        }
        if (a.url() != null || a.headers() != null || a.batchMaxEvents() != null) {
            errors.add(at + ": url, headers and batchMaxEvents belong to WEBHOOK actions");
        }
        String ca = ca(at, a.caCertificatePem(), transport == SyslogTransport.TLS, "transport TLS");
        return new ActionSettings(host, a.port(), transport, format, zone, null, null, ca, null);
    }

    private ActionSettings webhook(String at, RuleRequest.Action a) {
        String url = a.url() == null ? null : a.url().strip();
        boolean https = false;
        if (url == null || url.isEmpty()) {
            errors.add(at + ".url: required");
        } else {
            try {
                URI uri = new URI(url);
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if (!scheme.equals("http") && !scheme.equals("https")) {
                    errors.add(at + ".url: the scheme must be http or https");
                } else if (uri.getHost() == null || !isHost(uri.getHost().replaceAll("^\\[|]$", ""))) {
                    errors.add(at + ".url: no valid host");
                } else if (uri.getRawUserInfo() != null) {
                    errors.add(at + ".url: no credentials in the URL; use a header such as Authorization");
                } else if (url.length() > 2048) {
                    errors.add(at + ".url: at most 2048 characters");
                }
                https = scheme.equals("https");
            } catch (URISyntaxException e) {
                errors.add(at + ".url: not a URL: " + e.getReason());
            }
        }
        Map<String, String> headers = new LinkedHashMap<>();
        if (a.headers() != null) {
            if (a.headers().size() > 50) {
                errors.add(at + ".headers: at most 50");
            }
            for (var h : a.headers().entrySet()) {
                String key = h.getKey();
                if (key == null || !HEADER_NAME.matcher(key).matches()) {
                    errors.add(at + ".headers: '" + printable(String.valueOf(key))
                            + "' is not a valid header name (letters, digits, '-' and '_' only)");
                } else if (RESERVED_HEADERS.contains(key.toLowerCase(Locale.ROOT))) {
                    errors.add(at + ".headers: '" + key + "' is set by the console and cannot be replaced");
                } else if (h.getValue() == null || h.getValue().length() > 4096
                        || h.getValue().chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) {
                    errors.add(at + ".headers." + key + ": a value of at most 4096 characters without line breaks is required");
                } else {
                    headers.put(key, h.getValue());
                }
            }
        }
        if (a.host() != null || a.port() != null || a.transport() != null || a.format() != null) {
            errors.add(at + ": host, port, transport and format belong to SYSLOG actions");
        }
        String ca = ca(at, a.caCertificatePem(), https, "an https URL");
        Integer batch = a.batchMaxEvents();
        if (batch != null && (batch < 1 || batch > MAX_BATCH)) {
            errors.add(at + ".batchMaxEvents: must be between 1 and " + MAX_BATCH);
        }
        return new ActionSettings(null, null, null, null, null, url, headers, ca, batch == null || batch == 1 ? null : batch);
    }

    private String ca(String at, String pem, boolean tls, String needs) {
        if (pem == null || pem.isBlank()) {
            return null;
        }
        if (!tls) {
            errors.add(at + ".caCertificatePem: only used with " + needs);
            return null;
        }
        try {
            ForwardingTls.certificates(pem);
        } catch (IllegalArgumentException e) {
            errors.add(at + ".caCertificatePem: " + e.getMessage());
        }
        return pem.strip() + "\n";
    }

    private Severity severity(String value) {
        return parse("minSeverity", value, Severity.class);
    }

    private <E extends Enum<E>> E parse(String field, String value, Class<E> type) {
        String allowed = Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
        if (value == null || value.isBlank()) {
            errors.add(field + ": required, one of " + allowed);
            return null;
        }
        try {
            return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            errors.add(field + ": unknown value '" + printable(value) + "', use one of " + allowed);
            return null;
        }
    }

    private String[] words(String field, List<String> values) {
        if (values == null) {
            return new String[0];
        }
        if (values.size() > MAX_FILTER_VALUES) {
            errors.add(field + ": at most " + MAX_FILTER_VALUES + " values");
        }
        List<String> out = new ArrayList<>();
        for (String s : values) {
            if (s == null || s.isBlank() || s.length() > 100 || s.chars().anyMatch(Character::isISOControl)) {
                errors.add(field + ": values must be non-empty, at most 100 characters, without control characters");
                return new String[0];
            }
            if (!out.contains(s.strip())) {
                out.add(s.strip());
            }
        }
        return out.toArray(String[]::new);
    }

    private String[] labels(String field, List<String> values) {
        if (values == null) {
            return new String[0];
        }
        if (values.size() > LabelRules.MAX_PER_REQUEST) {
            errors.add(field + ": at most " + LabelRules.MAX_PER_REQUEST + " label conditions");
            return new String[0];
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            try {
                String s = LabelRules.Selector.parse(values.get(i)).toString();
                if (!out.contains(s)) {
                    out.add(s);
                }
            } catch (ProblemException e) {
                errors.add(field + "[" + i + "]: give key=value or key; " + e.getMessage().replaceFirst("^label: ", ""));
            }
        }
        return out.toArray(String[]::new);
    }

    private UUID[] ids(String field, List<UUID> values) {
        if (values == null) {
            return new UUID[0];
        }
        if (values.size() > 10_000) {
            errors.add(field + ": at most 10000 values");
        }
        if (values.stream().anyMatch(java.util.Objects::isNull)) {
            errors.add(field + ": must not contain null");
            return new UUID[0];
        }
        return values.stream().distinct().toArray(UUID[]::new);
    }

    private void throwIfAny() {
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest(String.join("; ", errors));
        }
    }

    /** A DNS name (RFC 1123 labels), an IPv4 address or an IPv6 literal. Resolves nothing. */
    static boolean isHost(String host) {
        if (host.length() > 253) {
            return false;
        }
        if (host.indexOf(':') >= 0) {
            if (!host.matches("[0-9A-Fa-f:.]+")) {
                return false;
            }
            try {
                // A literal with ':' is parsed, never looked up.
                return InetAddress.getByName(host) instanceof java.net.Inet6Address;
            } catch (UnknownHostException e) {
                return false;
            }
        }
        if (host.matches("[0-9.]+")) {
            return IPV4.matcher(host).matches();
        }
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        return !name.isEmpty() && Arrays.stream(name.split("\\.", -1)).allMatch(l -> LABEL.matcher(l).matches());
    }

    private static String printable(String s) {
        String cut = s.length() > 80 ? s.substring(0, 80) + "…" : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
