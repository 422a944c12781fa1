package io.sensorfleet.console.forwarding;

import io.sensorfleet.console.notifications.NotificationView;
import io.sensorfleet.console.notifications.Severity;

import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;

/**
 * Syslog messages (RFC 5424) carrying a notification in one of the {@link SyslogFormat}s:
 * {@code <PRI>1 TIMESTAMP HOSTNAME sensorfleet - MSGID SD MSG}. Facility local0; severity crit,
 * err, warning, notice for Critical, Major, Minor, Warning. MSGID is the notification type. In the
 * RFC5424 format the fields, with the notification id as {@code eventId}, are structured data
 * {@code [sensorfleet@32473 …]} and MSG is text; in the others MSG is the CEF, LEEF or JSON text.
 */
final class SyslogMessage {
    /** SD-ID; 32473 is the enterprise number RFC 5612 sets aside for documentation and examples. */
    static final String SD_ID = "sensorfleet@32473";
    static final String APP_NAME = "sensorfleet";
    private static final int FACILITY_LOCAL0 = 16;
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");

    private SyslogMessage() {
    }

    static String format(NotificationView n, MessageContext ctx, SyslogFormat format) {
        StringBuilder b = new StringBuilder()
                .append('<').append(FACILITY_LOCAL0 * 8 + severity(n.severity())).append(">1 ")
                .append(TIMESTAMP.format(n.occurredAt().atZone(ctx.zone()))).append(' ')
                .append(headerField(ctx.hostname(), 255)).append(' ')
                .append(APP_NAME).append(" - ")
                .append(headerField(n.type().name(), 32)).append(' ');
        switch (format) {
            case RFC5424 -> b.append(structuredData(n, ctx.site())).append(' ').append(text(n));
            case CEF -> b.append("- ").append(CefFormat.format(n, ctx));
            case LEEF -> b.append("- ").append(LeefFormat.format(n, ctx));
            case JSON -> b.append("- ").append(JsonFormat.format(n, ctx.site(), ctx.zone(), false));
        }
        return b.toString();
    }

    /** UDP: the message alone. TCP and TLS: octet counting, {@code LENGTH SP MESSAGE} (RFC 6587 §3.4.1). */
    static byte[] frame(String message, SyslogTransport transport) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        if (transport == SyslogTransport.UDP) {
            return bytes;
        }
        byte[] prefix = (bytes.length + " ").getBytes(StandardCharsets.US_ASCII);
        byte[] framed = new byte[prefix.length + bytes.length];
        System.arraycopy(prefix, 0, framed, 0, prefix.length);
        System.arraycopy(bytes, 0, framed, prefix.length, bytes.length);
        return framed;
    }

    static int severity(Severity s) {
        return switch (s) {
            case CRITICAL -> 2;
            case MAJOR -> 3;
            case MINOR -> 4;
            case WARNING -> 5;
        };
    }

    private static String structuredData(NotificationView n, SiteRef site) {
        StringBuilder b = new StringBuilder("[").append(SD_ID);
        param(b, "eventId", n.id());
        param(b, "type", n.type());
        param(b, "category", n.category());
        param(b, "severity", n.severity());
        param(b, "sensorId", n.sensorId());
        param(b, "sensorName", n.sensorName());
        param(b, "zoneId", n.zoneId());
        param(b, "zoneName", n.zoneName());
        param(b, "siteId", site.id());
        param(b, "siteName", site.name());
        param(b, "alertId", n.alertId());
        param(b, "engine", n.engine());
        param(b, "protocol", n.protocol());
        param(b, "source", n.source());
        param(b, "destination", n.destination());
        return b.append(']').toString();
    }

    private static void param(StringBuilder b, String name, Object value) {
        if (value != null) {
            String v = value.toString().replace("\\", "\\\\").replace("\"", "\\\"").replace("]", "\\]")
                    .replaceAll("[\\r\\n]+", " ");
            b.append(' ').append(name).append("=\"").append(v).append('"');
        }
    }

    private static String text(NotificationView n) {
        StringBuilder b = new StringBuilder(n.title());
        if (n.sensorName() != null) {
            b.append(" (sensor ").append(n.sensorName());
            if (n.zoneName() != null) {
                b.append(", zone ").append(n.zoneName());
            }
            b.append(')');
        }
        if (n.message() != null) {
            b.append(": ").append(n.message());
        }
        return b.toString().replaceAll("[\\r\\n]+", " ");
    }

    /** HOSTNAME and MSGID: printable US-ASCII without spaces, bounded, "-" when nothing is left. */
    private static String headerField(String s, int max) {
        if (s == null) {
            return "-";
        }
        String clean = s.replaceAll("[^\\x21-\\x7e]", "");
        clean = clean.length() > max ? clean.substring(0, max) : clean;
        return clean.isEmpty() ? "-" : clean;
    }
}
