package io.sensorfleet.console.forwarding;

import io.sensorfleet.console.notifications.Severity;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RuleMatcherTest {
    private static RuleMatcher rule(Severity min, boolean system, boolean alerts, Set<String> protocols,
                                    Set<String> engines, Set<UUID> zones, Set<UUID> sensors) {
        return new RuleMatcher(UUID.randomUUID(), min, system, alerts, protocols, engines, zones, sensors,
                List.of(UUID.randomUUID()));
    }

    @Test
    void categoryAndMinimalSeverityDecideFirst() {
        var disconnect = Notifications.disconnected();
        assertTrue(rule(Severity.MAJOR, true, false, Set.of(), Set.of(), Set.of(), Set.of()).matches(disconnect));
        assertFalse(rule(Severity.CRITICAL, true, false, Set.of(), Set.of(), Set.of(), Set.of()).matches(disconnect));
        assertFalse(rule(Severity.WARNING, false, true, Set.of(), Set.of(), Set.of(), Set.of()).matches(disconnect));
        assertTrue(rule(Severity.WARNING, false, true, Set.of(), Set.of(), Set.of(), Set.of())
                .matches(Notifications.alert(Severity.MINOR, "t", null)));
    }

    @Test
    void protocolAndEngineFiltersConcernAlertsOnlyAndIgnoreCase() {
        RuleMatcher modbus = rule(Severity.WARNING, true, true, Set.of("modbus"), Set.of("policy violation"), Set.of(),
                Set.of());
        assertTrue(modbus.matches(Notifications.alert(Severity.MINOR, "t", null)));
        assertTrue(modbus.matches(Notifications.disconnected()), "a system notification has no protocol to filter");
        assertFalse(rule(Severity.WARNING, true, true, Set.of("dnp3"), Set.of(), Set.of(), Set.of())
                .matches(Notifications.alert(Severity.MINOR, "t", null)));
    }

    @Test
    void zoneAndSensorFiltersNeedTheNotificationToBeAboutThem() {
        assertTrue(rule(Severity.WARNING, true, true, Set.of(), Set.of(), Set.of(Notifications.ZONE),
                Set.of(Notifications.SENSOR)).matches(Notifications.disconnected()));
        assertFalse(rule(Severity.WARNING, true, true, Set.of(), Set.of(), Set.of(UUID.randomUUID()), Set.of())
                .matches(Notifications.disconnected()));
        assertFalse(rule(Severity.WARNING, true, true, Set.of(), Set.of(), Set.of(), Set.of(UUID.randomUUID()))
                .matches(Notifications.disconnected()));
    }

    @Test
    void siteAndLabelFiltersLookAtTheResolvedSiteAndSensorLabels() {
        UUID siteA = UUID.randomUUID();
        var n = Notifications.disconnected();
        RuleMatcher bySite = new RuleMatcher(UUID.randomUUID(), Severity.WARNING, true, true, Set.of(), Set.of(),
                Set.of(), Set.of(), Set.of(siteA), List.of(), List.of(UUID.randomUUID()));
        assertTrue(bySite.matches(n, siteA, java.util.Map.of()));
        assertFalse(bySite.matches(n, UUID.randomUUID(), java.util.Map.of()));
        assertFalse(bySite.matches(n, null, java.util.Map.of()), "a sensor in no site does not pass a site filter");
        RuleMatcher byLabel = new RuleMatcher(UUID.randomUUID(), Severity.WARNING, true, true, Set.of(), Set.of(),
                Set.of(), Set.of(), Set.of(), List.of(io.sensorfleet.console.sensors.LabelRules.Selector.parse("env=prod"),
                io.sensorfleet.console.sensors.LabelRules.Selector.parse("rack")), List.of(UUID.randomUUID()));
        assertTrue(byLabel.matches(n, null, java.util.Map.of("env", "prod", "rack", "r1")));
        assertFalse(byLabel.matches(n, null, java.util.Map.of("env", "test", "rack", "r1")));
        assertFalse(byLabel.matches(n, null, java.util.Map.of("env", "prod")), "every condition must hold");
    }
}
