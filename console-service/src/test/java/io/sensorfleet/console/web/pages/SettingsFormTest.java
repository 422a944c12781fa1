package io.sensorfleet.console.web.pages;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingsFormTest {

    @Test
    void onlyFieldsThatDifferFromTheScopeBecomeChangesWithTheCataloguesTypes() {
        Map<String, Object> atScope = Map.of("time.timeZone", "UTC", "backup.retention", 3);
        Map<String, String> form = Map.of("v.time.timeZone", "UTC", "v.backup.retention", "5",
                "v.backup.enabled", "false", "v.network.dnsServers", "10.0.0.1, 10.0.0.2");
        Map<String, Object> changes = SettingsForm.changes(atScope, form::get);
        assertEquals(Map.of("backup.retention", 5L, "backup.enabled", false,
                "network.dnsServers", List.of("10.0.0.1", "10.0.0.2")), changes);
    }

    @Test
    void perSensorSettingsAreOfferedOnASensorsFormOnly() {
        boolean global = SettingsForm.fields(Map.of(), false).stream().flatMap(c -> c.fields().stream())
                .anyMatch(f -> f.definition().key().equals("network.ipAddress"));
        boolean sensor = SettingsForm.fields(Map.of(), true).stream().flatMap(c -> c.fields().stream())
                .anyMatch(f -> f.definition().key().equals("network.ipAddress"));
        assertFalse(global);
        assertTrue(sensor);
    }

    @Test
    void anEmptiedFieldFallsBackToTheBroaderScope() {
        Map<String, Object> changes = SettingsForm.changes(Map.of("time.timeZone", "Europe/Berlin"), name -> "");
        assertTrue(changes.containsKey("time.timeZone"));
        assertNull(changes.get("time.timeZone"));
        assertEquals(1, changes.size());
    }

    @Test
    void anEmptyWriteOnlyFieldKeepsItsValueAndAFilledOneIsAlwaysSent() {
        Map<String, Object> atScope = Map.of("network.proxyPassword", "(set)");
        assertFalse(SettingsForm.changes(atScope, name -> null).containsKey("network.proxyPassword"));
        Map<String, String> form = new HashMap<>();
        form.put("v.network.proxyPassword", "(set)");
        assertEquals("(set)", SettingsForm.changes(atScope, form::get).get("network.proxyPassword"));
    }

    @Test
    void aWrongNumberIsPassedOnAsTextForTheValidatorToName() {
        assertEquals("many", SettingsForm.changes(Map.of(), Map.of("v.backup.retention", "many")::get)
                .get("backup.retention"));
    }
}
