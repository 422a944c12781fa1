package io.sensorfleet.console.forwarding;

import io.sensorfleet.console.notifications.NotificationView;

import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * IBM QRadar Log Event Extended Format 1.0:
 * {@code LEEF:1.0|SensorFleet|SensorFleet Console|version|type|} then tab-separated {@code key=value}
 * attributes. {@code sev} uses the CEF scale (1, 4, 8, 10); the notification id is {@code externalId}.
 */
final class LeefFormat {
    static final String TIME_PATTERN = "MMM dd yyyy HH:mm:ss.SSS z";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern(TIME_PATTERN, Locale.ENGLISH);

    private LeefFormat() {
    }

    static String format(NotificationView n, MessageContext ctx) {
        StringBuilder b = new StringBuilder("LEEF:1.0|SensorFleet|SensorFleet Console|")
                .append(CefFormat.header(ctx.productVersion())).append('|')
                .append(CefFormat.header(n.type().name())).append('|');
        put(b, "devTime", TIME.format(n.occurredAt().atZone(ctx.zone())));
        put(b, "devTimeFormat", TIME_PATTERN);
        put(b, "sev", CefFormat.severity(n.severity()));
        put(b, "cat", n.category());
        put(b, "externalId", n.id());
        put(b, "severity", n.severity());
        put(b, "title", n.title());
        put(b, "msg", n.message());
        put(b, "sensorName", n.sensorName());
        put(b, "sensorId", n.sensorId());
        put(b, "zoneName", n.zoneName());
        put(b, "zoneId", n.zoneId());
        put(b, "siteName", ctx.site().name());
        put(b, "siteId", ctx.site().id());
        put(b, "alertId", n.alertId());
        put(b, "engine", n.engine());
        put(b, "protocol", n.protocol());
        if (Addresses.isIpLiteral(n.source())) {
            put(b, "src", n.source());
        }
        if (Addresses.isIpLiteral(n.destination())) {
            put(b, "dst", n.destination());
        }
        put(b, "source", n.source());
        put(b, "destination", n.destination());
        return b.toString();
    }

    private static void put(StringBuilder b, String key, Object value) {
        if (value == null) {
            return;
        }
        if (b.charAt(b.length() - 1) != '|') {
            b.append('\t');
        }
        // A tab separates attributes and a line break ends the message: neither may appear in a value.
        b.append(key).append('=').append(value.toString().replaceAll("[\\t\\r\\n]+", " "));
    }
}
