package io.sensorfleet.console.forwarding;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyslogMessageTest {

    @Test
    void rfc5424TextCarriesTheFieldsAsStructuredData() {
        String m = SyslogMessage.format(Notifications.disconnected(), Notifications.context("America/New_York"),
                SyslogFormat.RFC5424);

        assertEquals("<131>1 2026-03-01T04:15:30.250-05:00 console-1 sensorfleet - SENSOR_DISCONNECTED "
                + "[sensorfleet@32473 eventId=\"" + Notifications.EVENT + "\" type=\"SENSOR_DISCONNECTED\" "
                + "category=\"SYSTEM\" severity=\"MAJOR\" sensorId=\"" + Notifications.SENSOR + "\" "
                + "sensorName=\"substation-7\" zoneId=\"" + Notifications.ZONE + "\" zoneName=\"Turbine hall\"] "
                + "Sensor disconnected (sensor substation-7, zone Turbine hall): no heartbeat for more than 90 s", m);
    }

    @Test
    void cefLeefAndJsonTravelAsTheMessageOfAnRfc5424Header() {
        var n = Notifications.disconnected();
        var ctx = Notifications.context("UTC");
        String header = "<131>1 2026-03-01T09:15:30.250Z console-1 sensorfleet - SENSOR_DISCONNECTED - ";

        assertEquals(header + CefFormat.format(n, ctx), SyslogMessage.format(n, ctx, SyslogFormat.CEF));
        assertEquals(header + LeefFormat.format(n, ctx), SyslogMessage.format(n, ctx, SyslogFormat.LEEF));
        String json = SyslogMessage.format(n, ctx, SyslogFormat.JSON);
        assertTrue(json.startsWith(header + "{\"eventId\":\"" + Notifications.EVENT + "\""), json);
        assertTrue(!json.contains("null"), "absent fields are left out of syslog JSON: " + json);
    }

    @Test
    void priorityIsLocal0WithSeverityByNotificationSeverity() {
        assertEquals(2, SyslogMessage.severity(io.sensorfleet.console.notifications.Severity.CRITICAL));
        assertEquals(3, SyslogMessage.severity(io.sensorfleet.console.notifications.Severity.MAJOR));
        assertEquals(4, SyslogMessage.severity(io.sensorfleet.console.notifications.Severity.MINOR));
        assertEquals(5, SyslogMessage.severity(io.sensorfleet.console.notifications.Severity.WARNING));
    }

    @Test
    void structuredDataValuesEscapeQuotesBackslashesAndBrackets() {
        var n = new io.sensorfleet.console.notifications.NotificationView(Notifications.EVENT, Notifications.AT,
                io.sensorfleet.console.notifications.NotificationCategory.SYSTEM,
                io.sensorfleet.console.notifications.NotificationType.TIME_DRIFT,
                io.sensorfleet.console.notifications.Severity.MINOR, "t", null, Notifications.SENSOR,
                "a \"b\" \\c]", null, null, null, null, null, null, null, null);
        String m = SyslogMessage.format(n, Notifications.context("UTC"), SyslogFormat.RFC5424);
        assertTrue(m.contains("sensorName=\"a \\\"b\\\" \\\\c\\]\""), m);
    }

    @Test
    void streamTransportsFrameWithTheOctetCountAndUdpDoesNot() {
        String message = "<131>1 - - - - - - é";
        byte[] tcp = SyslogMessage.frame(message, SyslogTransport.TCP);
        byte[] udp = SyslogMessage.frame(message, SyslogTransport.UDP);

        int length = message.getBytes(StandardCharsets.UTF_8).length;
        assertEquals(length + " " + message, new String(tcp, StandardCharsets.UTF_8));
        assertEquals(message, new String(udp, StandardCharsets.UTF_8));
        assertEquals(new String(tcp, StandardCharsets.UTF_8), new String(SyslogMessage.frame(message, SyslogTransport.TLS),
                StandardCharsets.UTF_8));
    }
}
