package io.sensorfleet.agent.health;

import io.sensorfleet.protocol.v1.heartbeat.Health.Status;
import io.sensorfleet.protocol.v1.heartbeat.HealthCheck;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The appliance itself: disk usage of the configured mounts, memory, CPU load, clock synchronisation. */
final class HostChecks {
    private final HealthConfig config;
    private final Probe probe;

    HostChecks(HealthConfig config, Probe probe) {
        this.config = config;
        this.probe = probe;
    }

    /** @param alarmPercent {@code system.diskUsageAlarmPercent} as the console set it */
    List<HealthCheck> disks(int alarmPercent) {
        List<HealthCheck> out = new ArrayList<>();
        for (String mount : config.mounts()) {
            String name = "disk:" + mount;
            Optional<Probe.Usage> usage = probe.usage(under(mount));
            if (usage.isEmpty()) {
                out.add(new HealthCheck(name, Status.DEGRADED, "mount " + mount + " not found: usage not reported", null));
                continue;
            }
            double used = usage.get().usedPercent();
            Status status = used >= config.diskFailedPercent() ? Status.FAILED
                    : used >= alarmPercent ? Status.DEGRADED : Status.OK;
            out.add(new HealthCheck(name, status, String.format(Locale.ROOT, "%.0f %% used (%s free), alarm at %d %%",
                    used, bytes(usage.get().availableBytes()), alarmPercent), String.format(Locale.ROOT, "%.0f", used)));
        }
        return out;
    }

    HealthCheck memory() {
        Optional<String> meminfo = probe.read(under("/proc/meminfo"));
        long total = meminfo.map(t -> kb(t, "MemTotal:")).orElse(-1L);
        long available = meminfo.map(t -> kb(t, "MemAvailable:")).orElse(-1L);
        if (total <= 0 || available < 0) {
            return new HealthCheck("memory", Status.DEGRADED, "memory not reported: no /proc/meminfo with MemAvailable", null);
        }
        double used = (total - available) * 100.0 / total;
        Status status = used >= config.memoryFailedPercent() ? Status.FAILED
                : used >= config.memoryDegradedPercent() ? Status.DEGRADED : Status.OK;
        return new HealthCheck("memory", status, String.format(Locale.ROOT, "%.0f %% in use of %s, DEGRADED at %d %%",
                used, bytes(total * 1024), config.memoryDegradedPercent()), String.format(Locale.ROOT, "%.0f", used));
    }

    HealthCheck cpuLoad() {
        Optional<String> loadavg = probe.read(under("/proc/loadavg"));
        if (loadavg.isEmpty()) {
            return new HealthCheck("cpu-load", Status.DEGRADED, "CPU load not reported: no /proc/loadavg", null);
        }
        String[] f = loadavg.get().strip().split("\\s+");
        int cores = cores();
        try {
            double load5 = Double.parseDouble(f[1]);
            double perCore = load5 / cores;
            Status status = perCore >= config.loadDegradedPerCore() ? Status.DEGRADED : Status.OK;
            return new HealthCheck("cpu-load", status, String.format(Locale.ROOT,
                    "load %.2f over 5 min on %d cores (%.2f per core, DEGRADED at %.2f)", load5, cores, perCore,
                    config.loadDegradedPerCore()), String.format(Locale.ROOT, "%.2f", perCore));
        } catch (RuntimeException e) {
            return new HealthCheck("cpu-load", Status.DEGRADED, "CPU load not reported: /proc/loadavg unreadable", null);
        }
    }

    /**
     * systemd's view (timedatectl's NTPSynchronized, or the file systemd-timesyncd touches once
     * synchronised); without either the appliance does not report it, which is DEGRADED: an
     * unsynchronised clock breaks certificates and event times, and nothing says this one is fine.
     */
    HealthCheck clock() {
        Optional<String> answer = probe.run(List.of("timedatectl", "show", "-p", "NTPSynchronized", "--value"));
        if (answer.isPresent() && answer.get().startsWith("0\n")) {
            String value = answer.get().substring(2).strip();
            if (value.equals("yes")) {
                return new HealthCheck("clock", Status.OK, "synchronised (timedatectl NTPSynchronized=yes)", "yes");
            }
            if (value.equals("no")) {
                return new HealthCheck("clock", Status.DEGRADED, "not synchronised (timedatectl NTPSynchronized=no)", "no");
            }
        }
        if (probe.read(under("/run/systemd/timesync/synchronized")).isPresent()) {
            return new HealthCheck("clock", Status.OK, "synchronised (systemd-timesyncd)", "yes");
        }
        return new HealthCheck("clock", Status.DEGRADED,
                "clock synchronisation not reported on this appliance (no timedatectl answer, no systemd-timesyncd)", null);
    }

    private int cores() {
        long n = probe.read(under("/proc/cpuinfo"))
                .map(t -> t.lines().filter(l -> l.startsWith("processor")).count()).orElse(0L);
        return n > 0 ? (int) n : Runtime.getRuntime().availableProcessors();
    }

    Path under(String absolute) {
        String relative = absolute.startsWith("/") ? absolute.substring(1) : absolute;
        return relative.isEmpty() ? probe.root() : probe.root().resolve(relative);
    }

    private static long kb(String meminfo, String key) {
        for (String line : meminfo.split("\n")) {
            if (line.startsWith(key)) {
                try {
                    return Long.parseLong(line.substring(key.length()).replace("kB", "").strip());
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    static String bytes(long b) {
        if (b >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GB", b / (double) (1L << 30));
        }
        return String.format(Locale.ROOT, "%.1f MB", b / (double) (1L << 20));
    }
}
