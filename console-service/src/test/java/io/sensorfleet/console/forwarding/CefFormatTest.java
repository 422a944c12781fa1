package io.sensorfleet.console.forwarding;

import io.sensorfleet.console.notifications.Severity;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CefFormatTest {

    @Test
    void disconnectBecomesACefLineWithEventIdSensorAndZone() {
        String cef = CefFormat.format(Notifications.disconnected(), Notifications.context("Europe/Paris"));

        assertEquals("CEF:0|SensorFleet|SensorFleet Console|1.2.3|SENSOR_DISCONNECTED|Sensor disconnected|8|"
                + "rt=Mar 01 2026 10:15:30.250 CET externalId=" + Notifications.EVENT + " cat=SYSTEM "
                + "msg=no heartbeat for more than 90 s dvchost=substation-7 deviceExternalId=" + Notifications.SENSOR
                + " cs1Label=zoneName cs1=Turbine hall cs2Label=zoneId cs2=" + Notifications.ZONE, cef);
    }

    @Test
    void severityMapsToOneFourEightTen() {
        assertEquals(1, CefFormat.severity(Severity.WARNING));
        assertEquals(4, CefFormat.severity(Severity.MINOR));
        assertEquals(8, CefFormat.severity(Severity.MAJOR));
        assertEquals(10, CefFormat.severity(Severity.CRITICAL));
    }

    @Test
    void pipesInTheHeaderAndEqualsInValuesAreEscapedAndAddressesPlacedByKind() {
        String cef = CefFormat.format(Notifications.alert(Severity.MINOR, "a|b \\ c", "10.1.2.3"),
                Notifications.context("UTC"));

        assertTrue(cef.contains("|a\\|b \\\\ c|4|"), cef);
        assertTrue(cef.contains(" src=10.1.2.3 "), cef);
        assertTrue(cef.endsWith(" dhost=plc-3"), cef);
        assertTrue(cef.contains("cs3Label=engine cs3=Policy Violation cs4Label=alertId cs4=a-42 app=Modbus"), cef);
        assertEquals("x\\=y\\\\z\\nw", CefFormat.value("x=y\\z\nw"));
    }

    @Test
    void theSiteFollowsTheZoneInEveryFormat() {
        String id = Notifications.SITE.toString();
        var n = Notifications.disconnected();
        String cef = CefFormat.format(n, Notifications.sited("UTC"));
        assertTrue(cef.endsWith("cs5Label=siteName cs5=Plant North cs6Label=siteId cs6=" + id), cef);
        String leef = LeefFormat.format(n, Notifications.sited("UTC"));
        assertTrue(leef.contains("\tzoneId=" + Notifications.ZONE + "\tsiteName=Plant North\tsiteId=" + id), leef);
        String rfc = SyslogMessage.format(n, Notifications.sited("UTC"), SyslogFormat.RFC5424);
        assertTrue(rfc.contains("zoneName=\"Turbine hall\" siteId=\"" + id + "\" siteName=\"Plant North\""), rfc);
        String json = SyslogMessage.format(n, Notifications.sited("UTC"), SyslogFormat.JSON);
        assertTrue(json.contains("\"zoneName\":\"Turbine hall\",\"siteId\":\"" + id + "\",\"siteName\":\"Plant North\""), json);
        String webhook = JsonFormat.format(n, new SiteRef(null, null), java.time.ZoneOffset.UTC, true);
        assertTrue(webhook.contains("\"siteId\":null,\"siteName\":null"), "a webhook body always has the keys: " + webhook);
    }
}
