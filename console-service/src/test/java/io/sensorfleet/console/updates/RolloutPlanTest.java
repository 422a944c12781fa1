package io.sensorfleet.console.updates;

import io.sensorfleet.lib.packages.UpdateManifest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RolloutPlanTest {
    private static UpdateManifest pkg(String version, String... appliesTo) {
        return new UpdateManifest(1, UpdateManifest.PRODUCT, version, List.of(appliesTo), null, false, "a".repeat(64), 1, 30);
    }

    private static List<RolloutPlan.Sensor> sensors(int n, String version) {
        List<RolloutPlan.Sensor> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new RolloutPlan.Sensor(UUID.randomUUID(), "sensor-" + (char) ('a' + i), version));
        }
        return out;
    }

    @Test
    void canaryOneThenBatchesOfTwoInInventoryOrder() {
        UpdateManifest p = pkg("10.5.5", "3.1.1");
        RolloutPlan.Plan plan = RolloutPlan.of(sensors(6, "3.1.1"), p, List.of(p), "22.4.0", 1, 2);
        assertEquals(List.of(0, 1, 1, 2, 2, 3), plan.targets().stream().map(RolloutPlan.Target::batch).toList());
        assertEquals(List.of("sensor-a", "sensor-b", "sensor-c", "sensor-d", "sensor-e", "sensor-f"),
                plan.targets().stream().map(RolloutPlan.Target::name).toList());
        assertEquals(4, plan.batches());
    }

    @Test
    void withoutCanaryBatchesStartAtZero() {
        assertEquals(0, RolloutPlan.batchOf(0, 0, 3));
        assertEquals(0, RolloutPlan.batchOf(2, 0, 3));
        assertEquals(1, RolloutPlan.batchOf(3, 0, 3));
        assertEquals(1, RolloutPlan.batchOf(2, 2, 5));
    }

    @Test
    void refusedSensorsGetNoBatchAndTheReason() {
        UpdateManifest v10 = pkg("10.5.5", "3.1.1");
        UpdateManifest v22 = pkg("22.1.3", "10.5.x");
        List<RolloutPlan.Sensor> s = List.of(new RolloutPlan.Sensor(UUID.randomUUID(), "a", "3.1.1"),
                new RolloutPlan.Sensor(UUID.randomUUID(), "b", "10.5.5"),
                new RolloutPlan.Sensor(UUID.randomUUID(), "c", "22.1.3"),
                new RolloutPlan.Sensor(UUID.randomUUID(), "d", "2.0.0"));
        RolloutPlan.Plan plan = RolloutPlan.of(s, v22, List.of(v10, v22), "22.4.0", 1, 10);
        assertNull(plan.targets().get(0).batch());
        assertTrue(plan.targets().get(0).refusal().endsWith("first update to 10.5.5"), plan.targets().get(0).refusal());
        assertEquals(0, plan.targets().get(1).batch());
        assertTrue(plan.targets().get(2).refusal().contains("already runs"));
        assertTrue(plan.targets().get(3).refusal().contains("no uploaded package leads there"));
        assertEquals(1, plan.batches());
    }

    @Test
    void aPackageNewerThanTheConsoleGoesToNobody() {
        UpdateManifest p = pkg("23.0.0", "22.1.3");
        RolloutPlan.Plan plan = RolloutPlan.of(sensors(2, "22.1.3"), p, List.of(p), "22.4.0", 1, 10);
        assertEquals(0, plan.batches());
        assertTrue(plan.targets().get(0).refusal().contains("newer than the console"));
    }
}
