package io.sensorfleet.console.forwarding;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sensorfleet.console.notifications.NotificationView;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A notification as one JSON object: the syslog JSON format and the webhook body. Field names are
 * the API's ({@code eventId} is the notification id); sensor, zone and site ids and names are included.
 */
final class JsonFormat {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

    private JsonFormat() {
    }

    /** @param withNulls include absent fields as null, so every body has the same keys */
    static String format(NotificationView n, ZoneId zone, boolean withNulls) {
        return format(n, SiteRef.NONE, zone, withNulls);
    }

    /** @param withNulls include absent fields as null, so every body has the same keys */
    static String format(NotificationView n, SiteRef site, ZoneId zone, boolean withNulls) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("eventId", n.id().toString());
        m.put("time", TIME.format(n.occurredAt().atZone(zone)));
        m.put("category", n.category().name());
        m.put("type", n.type().name());
        m.put("severity", n.severity().name());
        m.put("title", n.title());
        m.put("message", n.message());
        m.put("sensorId", n.sensorId() == null ? null : n.sensorId().toString());
        m.put("sensorName", n.sensorName());
        m.put("zoneId", n.zoneId() == null ? null : n.zoneId().toString());
        m.put("zoneName", n.zoneName());
        m.put("siteId", site.id() == null ? null : site.id().toString());
        m.put("siteName", site.name());
        m.put("alertId", n.alertId());
        m.put("engine", n.engine());
        m.put("protocol", n.protocol());
        m.put("source", n.source());
        m.put("destination", n.destination());
        if (!withNulls) {
            m.values().removeIf(java.util.Objects::isNull);
        }
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always serialises", e);
        }
    }
}
