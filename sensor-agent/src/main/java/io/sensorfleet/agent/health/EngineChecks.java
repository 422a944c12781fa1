package io.sensorfleet.agent.health;

import io.sensorfleet.protocol.v1.heartbeat.Health.Status;
import io.sensorfleet.protocol.v1.heartbeat.HealthCheck;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The sensor engine: its systemd units, its processes and its capture interfaces. Interfaces are
 * judged on counters between runs, so this object keeps the last counters of each.
 */
final class EngineChecks {
    private record Counters(Instant at, long received, long dropped, Instant lastReceived) {
    }

    private final HealthConfig config;
    private final HostChecks host;
    private final Probe probe;
    private final Map<String, Counters> last = new HashMap<>();

    EngineChecks(HealthConfig config, HostChecks host, Probe probe) {
        this.config = config;
        this.host = host;
        this.probe = probe;
    }

    List<HealthCheck> services() {
        List<HealthCheck> out = new ArrayList<>();
        for (String unit : config.services()) {
            String name = "service:" + unit;
            // The test systemd itself uses (sd_booted): is it the init system here?
            Optional<String> answer = isDirectory("/run/systemd/system")
                    ? probe.run(List.of("systemctl", "is-active", unit)) : Optional.empty();
            if (answer.isEmpty()) {
                out.add(new HealthCheck(name, Status.DEGRADED, "systemd is not running on this appliance:"
                        + " unit state not reported (monitor the process with health.processes instead)", null));
                continue;
            }
            String state = answer.get().contains("\n") ? answer.get().substring(answer.get().indexOf('\n') + 1).strip() : "";
            boolean active = answer.get().startsWith("0\n") && state.equals("active");
            out.add(new HealthCheck(name, active ? Status.OK : Status.FAILED,
                    "systemd unit " + unit + " is " + (state.isEmpty() ? "unknown" : state), state));
        }
        return out;
    }

    List<HealthCheck> processes() {
        if (config.processes().isEmpty()) {
            return List.of();
        }
        Set<String> running = new HashSet<>();
        boolean procFound = false;
        for (Path dir : probe.list(host.under("/proc"))) {
            String pid = dir.getFileName().toString();
            if (!pid.chars().allMatch(Character::isDigit)) {
                continue;
            }
            procFound = true;
            probe.read(dir.resolve("comm")).ifPresent(c -> running.add(c.strip()));
        }
        List<HealthCheck> out = new ArrayList<>();
        for (String process : config.processes()) {
            String name = "process:" + process;
            if (!procFound) {
                out.add(new HealthCheck(name, Status.DEGRADED, "no /proc on this appliance: process not reported", null));
            } else if (running.contains(process)) {
                out.add(new HealthCheck(name, Status.OK, "process " + process + " is running", "running"));
            } else {
                out.add(new HealthCheck(name, Status.FAILED, "process " + process + " is not running", "absent"));
            }
        }
        return out;
    }

    List<HealthCheck> interfaces(Instant now) {
        List<HealthCheck> out = new ArrayList<>();
        for (String itf : config.interfaces()) {
            out.add(capture(itf, now));
        }
        return out;
    }

    private HealthCheck capture(String itf, Instant now) {
        String name = "interface:" + itf;
        Path dir = host.under("/sys/class/net").resolve(itf);
        Optional<String> operstate = probe.read(dir.resolve("operstate")).map(String::strip);
        if (operstate.isEmpty()) {
            last.remove(itf);
            return new HealthCheck(name, Status.FAILED, "no interface " + itf + " on this appliance", "absent");
        }
        // Dummy and tun interfaces say "unknown": they carry traffic all the same.
        if (!operstate.get().equals("up") && !operstate.get().equals("unknown")) {
            last.remove(itf);
            return new HealthCheck(name, Status.FAILED, "link of " + itf + " is " + operstate.get(), operstate.get());
        }
        long received = counter(dir, "rx_packets");
        long dropped = counter(dir, "rx_dropped");
        if (received < 0 || dropped < 0) {
            return new HealthCheck(name, Status.DEGRADED, "packet counters of " + itf + " not reported", null);
        }
        Counters before = last.get(itf);
        Instant lastReceived = before == null || received != before.received() ? now : before.lastReceived();
        last.put(itf, new Counters(now, received, dropped, lastReceived));
        if (before == null) {
            return new HealthCheck(name, Status.OK, "link " + operstate.get() + "; counting packets from now", "0");
        }
        long newPackets = Math.max(0, received - before.received());
        long newDrops = Math.max(0, dropped - before.dropped());
        double dropShare = newPackets + newDrops == 0 ? 0 : newDrops * 100.0 / (newPackets + newDrops);
        Duration idle = Duration.between(lastReceived, now);
        if (!idle.minus(config.interfaceIdle()).isNegative()) {
            return new HealthCheck(name, Status.DEGRADED, "no packets received on " + itf + " for " + idle.toMinutes()
                    + " min (DEGRADED after " + config.interfaceIdle().toMinutes() + " min)", "0");
        }
        if (dropShare > config.dropPercent()) {
            return new HealthCheck(name, Status.DEGRADED, String.format(Locale.ROOT,
                    "%.1f %% of packets dropped on %s since the last check (DEGRADED above %.1f %%)", dropShare, itf,
                    config.dropPercent()), String.format(Locale.ROOT, "%.1f", dropShare));
        }
        long seconds = Math.max(1, Duration.between(before.at(), now).toSeconds());
        return new HealthCheck(name, Status.OK, String.format(Locale.ROOT, "link %s, %d packets/s, %.1f %% dropped",
                operstate.get(), newPackets / seconds, dropShare), Long.toString(newPackets / seconds));
    }

    private long counter(Path dir, String file) {
        return probe.read(dir.resolve("statistics").resolve(file)).map(String::strip).map(v -> {
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                return -1L;
            }
        }).orElse(-1L);
    }

    private boolean isDirectory(String path) {
        return java.nio.file.Files.isDirectory(host.under(path));
    }
}
