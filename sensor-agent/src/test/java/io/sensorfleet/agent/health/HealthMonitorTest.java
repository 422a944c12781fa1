package io.sensorfleet.agent.health;

import io.sensorfleet.agent.AgentLog;
import io.sensorfleet.agent.identity.StateDir;
import io.sensorfleet.agent.settings.SettingsStore;
import io.sensorfleet.agent.testing.MutableClock;
import io.sensorfleet.protocol.v1.heartbeat.Health;
import io.sensorfleet.protocol.v1.heartbeat.Health.Status;
import io.sensorfleet.protocol.v1.heartbeat.HealthCheck;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HealthMonitorTest {
    @TempDir
    Path root;
    @TempDir
    Path state;
    final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T02:00:00Z"));
    FakeSystem system;

    @BeforeEach
    void healthyAppliance() {
        system = FakeSystem.healthy(root);
    }

    private HealthConfig config(int runs) {
        return new HealthConfig(root, List.of("/"), 85, 98, 90, 97, 2.0, List.of("suricata.service"),
                List.of("suricata"), List.of("eth1"), Duration.ofMinutes(5), 1.0, Duration.ofDays(14),
                Duration.ofDays(14), Duration.ofHours(48), runs);
    }

    private HealthMonitor monitor(int runs) {
        return new HealthMonitor(config(runs), system, new StateDir(state), clock, AgentLog.discard());
    }

    private Health run(HealthMonitor monitor) {
        Health h = monitor.get();
        clock.advance(Duration.ofSeconds(30));
        system.write("/sys/class/net/eth1/statistics/rx_packets", Long.toString(1000 + clock.millis() / 1000) + "\n");
        return h;
    }

    private static HealthCheck check(Health h, String name) {
        return h.checks().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no check " + name + " in " + h.checks()));
    }

    @Test
    void aHealthyApplianceIsOkWithEveryCheckNamed() throws Exception {
        // No daily backup expected (a new sensor has none yet and says so from its first run).
        new SettingsStore(state).apply(1, Map.of("backup.enabled", false));
        system.mkdir("/run/systemd/system");
        system.commands.put("systemctl is-active suricata.service", "0\nactive");
        Health h = run(monitor(3));

        assertEquals(Status.OK, h.status(), h.toString());
        assertNull(h.detail());
        for (String name : List.of("disk:/", "memory", "cpu-load", "service:suricata.service", "process:suricata",
                "interface:eth1", "clock", "backup")) {
            assertEquals(Status.OK, check(h, name).status(), name);
        }
    }

    @Test
    void aCheckThatFailsForOneRunOnlyRaisesNothing() {
        HealthMonitor monitor = monitor(3);
        run(monitor);
        system.delete("/proc/42/comm");
        Health failingOnce = run(monitor);
        system.write("/proc/42/comm", "suricata\n");
        Health after = run(monitor);

        assertEquals(Status.OK, check(failingOnce, "process:suricata").status());
        assertTrue(check(failingOnce, "process:suricata").message().contains("not running"),
                "the message says what was measured: " + check(failingOnce, "process:suricata").message());
        assertEquals(Status.OK, check(after, "process:suricata").status());
        assertTrue(check(after, "process:suricata").message().startsWith("process suricata is running"));
    }

    @Test
    void aCheckFailingFromTheFirstRunIsReportedAsMeasuredAtOnceAfterEveryStart() {
        system.delete("/proc/42/comm");
        for (int start = 0; start < 2; start++) {
            // A new monitor is a restart of the agent (or an update's new version): no OK shown for its first runs.
            Health first = run(monitor(3));
            assertEquals(Status.FAILED, check(first, "process:suricata").status());
            assertEquals(Status.FAILED, first.status());
        }
    }

    @Test
    void aProcessAbsentForTheConfiguredNumberOfRunsIsFailedAndNamed() {
        HealthMonitor monitor = monitor(3);
        system.delete("/proc/42/comm");
        run(monitor);
        run(monitor);
        Health third = run(monitor);

        assertEquals(Status.FAILED, third.status());
        assertEquals(Status.FAILED, check(third, "process:suricata").status());
        assertTrue(third.detail().contains("process:suricata FAILED"), third.detail());
    }

    @Test
    void diskUsageIsJudgedAgainstTheConsolesAlarmSetting() throws Exception {
        new io.sensorfleet.agent.settings.SettingsStore(state).apply(1, java.util.Map.of("system.diskUsageAlarmPercent", 70));
        system.usage.put("/", new FakeSystem.Usage(100, 25));
        Health h = run(monitor(1));

        assertEquals(Status.DEGRADED, check(h, "disk:/").status());
        assertEquals("75", check(h, "disk:/").observed());
        assertTrue(check(h, "disk:/").message().contains("alarm at 70 %"), check(h, "disk:/").message());
    }

    @Test
    void aCaptureInterfaceWithoutPacketsForTheIdleTimeIsDegraded() {
        HealthMonitor monitor = monitor(1);
        Health first = monitor.get();
        clock.advance(Duration.ofMinutes(6));
        Health idle = monitor.get();

        assertEquals(Status.OK, check(first, "interface:eth1").status());
        assertEquals(Status.DEGRADED, check(idle, "interface:eth1").status());
        assertTrue(check(idle, "interface:eth1").message().contains("no packets received on eth1 for 6 min"));
    }

    @Test
    void dropsAboveTheThresholdAreDegradedAndALinkDownIsFailed() {
        HealthMonitor monitor = monitor(1);
        monitor.get();
        clock.advance(Duration.ofSeconds(30));
        system.write("/sys/class/net/eth1/statistics/rx_packets", "1100\n");
        system.write("/sys/class/net/eth1/statistics/rx_dropped", "50\n");
        Health drops = monitor.get();
        system.write("/sys/class/net/eth1/operstate", "down\n");
        Health down = monitor.get();

        assertEquals(Status.DEGRADED, check(drops, "interface:eth1").status(), check(drops, "interface:eth1").message());
        assertEquals(Status.FAILED, check(down, "interface:eth1").status());
    }

    @Test
    void whereTheApplianceHasNoSourceTheCheckSaysSoInsteadOfPretending() {
        system.delete("/proc/meminfo");
        system.commands.clear();
        Health h = run(monitor(1));

        assertEquals(Status.DEGRADED, check(h, "memory").status());
        assertTrue(check(h, "memory").message().contains("not reported"));
        assertEquals(Status.DEGRADED, check(h, "service:suricata.service").status());
        assertTrue(check(h, "service:suricata.service").message().contains("systemd is not running"));
        assertEquals(Status.DEGRADED, check(h, "clock").status());
        assertTrue(check(h, "clock").message().contains("not reported"));
    }

    @Test
    void aStoppedUnitIsFailed() {
        system.mkdir("/run/systemd/system");
        system.commands.put("systemctl is-active suricata.service", "3\ninactive");
        Health h = run(monitor(1));

        assertEquals(Status.FAILED, check(h, "service:suricata.service").status());
        assertTrue(check(h, "service:suricata.service").message().contains("is inactive"));
    }

    @Test
    void theConfigurationFileOverridesDefaultsAndRefusesUnknownKeys() throws Exception {
        Path file = java.nio.file.Files.writeString(state.resolve("health.properties"),
                "health.processes = suricata, zeek\nhealth.consecutiveRuns=5\nhealth.interface.idleMinutes=10\n");
        HealthConfig c = HealthConfig.load(file, state);
        assertEquals(List.of("suricata", "zeek"), c.processes());
        assertEquals(5, c.consecutiveRuns());
        assertEquals(Duration.ofMinutes(10), c.interfaceIdle());
        assertEquals(List.of("/", state.toAbsolutePath().toString()), c.mounts());

        java.nio.file.Files.writeString(file, "health.proceses=suricata\n");
        var e = org.junit.jupiter.api.Assertions.assertThrows(io.sensorfleet.agent.InvalidInputException.class,
                () -> HealthConfig.load(file, state));
        assertTrue(e.getMessage().contains("unknown key health.proceses"), e.getMessage());
    }
}
