package io.sensorfleet.console.forwarding;

import io.sensorfleet.console.notifications.NotificationView;
import io.sensorfleet.console.notifications.Severity;

import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * ArcSight Common Event Format:
 * {@code CEF:0|SensorFleet|SensorFleet Console|version|type|title|severity|extension}. Severity maps
 * Warning 1, Minor 4, Major 8, Critical 10. The notification id is {@code externalId}; the sensor is
 * {@code dvchost} (name) and {@code deviceExternalId} (id); zone, engine, alert id and site are custom strings.
 */
final class CefFormat {
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("MMM dd yyyy HH:mm:ss.SSS zzz", Locale.ENGLISH);

    private CefFormat() {
    }

    static int severity(Severity s) {
        return switch (s) {
            case WARNING -> 1;
            case MINOR -> 4;
            case MAJOR -> 8;
            case CRITICAL -> 10;
        };
    }

    static String format(NotificationView n, MessageContext ctx) {
        StringBuilder b = new StringBuilder("CEF:0|SensorFleet|SensorFleet Console|")
                .append(header(ctx.productVersion())).append('|')
                .append(header(n.type().name())).append('|')
                .append(header(n.title())).append('|')
                .append(severity(n.severity())).append('|');
        Extension e = new Extension(b);
        e.put("rt", TIME.format(n.occurredAt().atZone(ctx.zone())));
        e.put("externalId", n.id());
        e.put("cat", n.category());
        e.put("msg", n.message());
        e.put("dvchost", n.sensorName());
        e.put("deviceExternalId", n.sensorId());
        e.custom(1, "zoneName", n.zoneName());
        e.custom(2, "zoneId", n.zoneId());
        e.custom(3, "engine", n.engine());
        e.custom(4, "alertId", n.alertId());
        e.custom(5, "siteName", ctx.site().name());
        e.custom(6, "siteId", ctx.site().id());
        e.put("app", n.protocol());
        e.put(Addresses.isIpLiteral(n.source()) ? "src" : "shost", n.source());
        e.put(Addresses.isIpLiteral(n.destination()) ? "dst" : "dhost", n.destination());
        return b.toString();
    }

    /** Header fields: backslash and pipe escaped, no line breaks. */
    static String header(String s) {
        return s == null ? "" : s.replace("\\", "\\\\").replace("|", "\\|").replaceAll("[\\r\\n]+", " ");
    }

    /** Extension values: backslash and equals escaped, line breaks as \n. */
    static String value(String s) {
        return s.replace("\\", "\\\\").replace("=", "\\=").replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\r");
    }

    private record Extension(StringBuilder b) {
        void put(String key, Object value) {
            if (value == null) {
                return;
            }
            if (b.charAt(b.length() - 1) != '|') {
                b.append(' ');
            }
            b.append(key).append('=').append(value(value.toString()));
        }

        void custom(int slot, String label, Object value) {
            if (value != null) {
                put("cs" + slot + "Label", label);
                put("cs" + slot, value);
            }
        }
    }
}
