package io.sensorfleet.agent.health;

import io.sensorfleet.agent.AgentLog;
import io.sensorfleet.agent.identity.Identity;
import io.sensorfleet.agent.identity.StateDir;
import io.sensorfleet.protocol.v1.heartbeat.Health;
import io.sensorfleet.protocol.v1.heartbeat.Health.Status;
import io.sensorfleet.protocol.v1.heartbeat.HealthCheck;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Runs the health checks for each heartbeat and sums them up: every check with its (held back, see
 * {@link Hysteresis}) status, the worst of them as the sensor's status, and the failing ones named
 * in the detail. A check that throws is reported as DEGRADED with the reason, never skipped.
 */
public final class HealthMonitor implements Supplier<Health> {
    static final int MAX_CHECKS = 64;
    static final int MAX_DETAIL = 1024;

    private final StateDir stateDir;
    private final Clock clock;
    private final AgentLog log;
    private final HostChecks host;
    private final EngineChecks engine;
    private final SensorChecks sensor;
    private final Hysteresis hysteresis;

    public HealthMonitor(HealthConfig config, Probe probe, StateDir stateDir, Clock clock, AgentLog log) {
        this.stateDir = stateDir;
        this.clock = clock;
        this.log = log;
        this.host = new HostChecks(config, probe);
        this.engine = new EngineChecks(config, host, probe);
        this.sensor = new SensorChecks(config, stateDir.path());
        this.hysteresis = new Hysteresis(config.consecutiveRuns());
    }

    public static HealthMonitor system(HealthConfig config, StateDir stateDir, Clock clock, AgentLog log) {
        return new HealthMonitor(config, Probe.system(config.systemRoot()), stateDir, clock, log);
    }

    @Override
    public synchronized Health get() {
        Instant now = clock.instant();
        List<HealthCheck> measured = new ArrayList<>();
        run(measured, "disk", () -> host.disks(sensor.diskAlarmPercent()));
        run(measured, "memory", () -> List.of(host.memory()));
        run(measured, "cpu-load", () -> List.of(host.cpuLoad()));
        run(measured, "service", engine::services);
        run(measured, "process", engine::processes);
        run(measured, "interface", () -> engine.interfaces(now));
        run(measured, "clock", () -> List.of(host.clock()));
        Optional<Identity> identity = stateDir.identity();
        identity.ifPresent(id -> {
            run(measured, "certificate", () -> List.of(sensor.certificate(id, now)));
            run(measured, "activation", () -> List.of(sensor.activation(id.sensorId(), now)));
        });
        run(measured, "backup", () -> List.of(sensor.lastBackup(now)));

        List<HealthCheck> reported = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (HealthCheck m : measured.subList(0, Math.min(measured.size(), MAX_CHECKS))) {
            reported.add(hysteresis.filter(m));
            names.add(m.name());
        }
        hysteresis.retain(names);
        Status overall = Status.OK;
        for (HealthCheck c : reported) {
            overall = overall.worst(c.status());
        }
        String detail = reported.stream().filter(c -> c.status() != Status.OK)
                .map(c -> c.name() + " " + c.status() + (c.message() == null ? "" : ": " + c.message()))
                .collect(Collectors.joining("; "));
        return new Health(overall, detail.isEmpty() ? null : truncate(detail, MAX_DETAIL), List.copyOf(reported));
    }

    private void run(List<HealthCheck> into, String kind, Supplier<List<HealthCheck>> check) {
        try {
            for (HealthCheck c : check.get()) {
                into.add(new HealthCheck(truncate(c.name(), 128), c.status(), c.message() == null ? null
                        : truncate(c.message(), 512), c.observed() == null ? null : truncate(c.observed(), 128)));
            }
        } catch (RuntimeException e) {
            log.warn("health check " + kind + " failed: " + e);
            into.add(new HealthCheck(kind, Status.DEGRADED, truncate("the check itself failed: " + e, 512), null));
        }
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
