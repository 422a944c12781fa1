package io.sensorfleet.console.forwarding;

import io.sensorfleet.console.notifications.Severity;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LeefFormatTest {

    private static Map<String, String> attributes(String leef) {
        String body = leef.substring(leef.lastIndexOf('|') + 1);
        return Arrays.stream(body.split("\t")).map(kv -> kv.split("=", 2))
                .collect(Collectors.toMap(kv -> kv[0], kv -> kv[1]));
    }

    @Test
    void alertBecomesLeefWithTabSeparatedAttributes() {
        String leef = LeefFormat.format(Notifications.alert(Severity.CRITICAL, "PLC stop\tcommand", "10.0.0.7"),
                Notifications.context("UTC"));

        assertTrue(leef.startsWith("LEEF:1.0|SensorFleet|SensorFleet Console|1.2.3|SENSOR_ALERT|devTime="), leef);
        Map<String, String> a = attributes(leef);
        assertEquals("Mar 01 2026 09:15:30.250 UTC", a.get("devTime"));
        assertEquals("MMM dd yyyy HH:mm:ss.SSS z", a.get("devTimeFormat"));
        assertEquals("10", a.get("sev"));
        assertEquals(Notifications.EVENT.toString(), a.get("externalId"));
        assertEquals("PLC stop command", a.get("title"), "a tab inside a value would split it");
        assertEquals("substation-7", a.get("sensorName"));
        assertEquals("Turbine hall", a.get("zoneName"));
        assertEquals("10.0.0.7", a.get("src"));
        assertEquals("plc-3", a.get("destination"));
        assertEquals("Modbus", a.get("protocol"));
    }
}
