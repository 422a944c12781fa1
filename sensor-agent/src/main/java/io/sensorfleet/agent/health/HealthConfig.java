package io.sensorfleet.agent.health;

import io.sensorfleet.agent.InvalidInputException;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * What the agent's health checks look at and when they complain. Every key has a default; the file
 * ({@code --health-config}, default {@value #DEFAULT_FILE} when it exists) overrides some. The keys
 * are documented in docs/operator-guide/sensor-health.md.
 *
 * @param systemRoot           where {@code /proc}, {@code /sys}, {@code /run} and the mounts are looked
 *                             up ({@code health.systemRoot}, default {@code /}); tests point it at a fake tree
 * @param mounts               file systems whose usage is checked against {@code system.diskUsageAlarmPercent}
 *                             ({@code health.mounts}, default {@code /} and the state dir)
 * @param diskAlarmPercent     alarm when the console sent no {@code system.diskUsageAlarmPercent} (85)
 * @param diskFailedPercent    usage that is FAILED rather than DEGRADED ({@code health.disk.failedPercent}, 98)
 * @param memoryDegradedPercent memory in use (of MemTotal, not MemAvailable) that is DEGRADED (90)
 * @param memoryFailedPercent  ... and FAILED (97)
 * @param loadDegradedPerCore  5-minute load average per core that is DEGRADED (2.0)
 * @param services             systemd units of the sensor engine that must be active ({@code health.services})
 * @param processes            process names ({@code /proc/<pid>/comm}) that must be running ({@code health.processes})
 * @param interfaces           capture interfaces ({@code health.interfaces})
 * @param interfaceIdle        no received packet for this long is DEGRADED ({@code health.interface.idleMinutes}, 5)
 * @param dropPercent          dropped / received packets between two runs above this is DEGRADED
 *                             ({@code health.interface.dropPercent}, 1.0)
 * @param certificateWarning   the sensor certificate expiring within this is DEGRADED
 *                             ({@code health.certificate.warnDays}, 14)
 * @param activationWarning    the activation file expiring within this is DEGRADED ({@code health.activation.warnDays}, 14)
 * @param backupMaxAge         the newest local backup older than this is DEGRADED ({@code health.backup.maxAgeHours}, 48)
 * @param consecutiveRuns      how many runs in a row a check must show a new status before it is reported
 *                             ({@code health.consecutiveRuns}, 3)
 */
public record HealthConfig(Path systemRoot, List<String> mounts, int diskAlarmPercent, int diskFailedPercent,
                           int memoryDegradedPercent, int memoryFailedPercent, double loadDegradedPerCore,
                           List<String> services, List<String> processes, List<String> interfaces,
                           Duration interfaceIdle, double dropPercent, Duration certificateWarning,
                           Duration activationWarning, Duration backupMaxAge, int consecutiveRuns) {

    public static final String DEFAULT_FILE = "/etc/sensorfleet/agent-health.properties";

    private static final Set<String> KEYS = Set.of("health.systemRoot", "health.mounts", "health.disk.defaultAlarmPercent",
            "health.disk.failedPercent", "health.memory.degradedPercent", "health.memory.failedPercent",
            "health.load.degradedPerCore", "health.services", "health.processes", "health.interfaces",
            "health.interface.idleMinutes", "health.interface.dropPercent", "health.certificate.warnDays",
            "health.activation.warnDays", "health.backup.maxAgeHours", "health.consecutiveRuns");

    public HealthConfig {
        mounts = List.copyOf(mounts);
        services = List.copyOf(services);
        processes = List.copyOf(processes);
        interfaces = List.copyOf(interfaces);
        if (consecutiveRuns < 1) {
            throw new IllegalArgumentException("health.consecutiveRuns must be at least 1");
        }
    }

    /** The defaults: the real system, the root file system and the state dir, nothing engine-specific. */
    public static HealthConfig defaults(Path stateDir) {
        return new HealthConfig(Path.of("/"), List.of("/", stateDir.toAbsolutePath().toString()), 85, 98, 90, 97, 2.0,
                List.of(), List.of(), List.of(), Duration.ofMinutes(5), 1.0, Duration.ofDays(14), Duration.ofDays(14),
                Duration.ofHours(48), 3);
    }

    public HealthConfig withSystemRoot(Path root) {
        return new HealthConfig(root, mounts, diskAlarmPercent, diskFailedPercent, memoryDegradedPercent,
                memoryFailedPercent, loadDegradedPerCore, services, processes, interfaces, interfaceIdle, dropPercent,
                certificateWarning, activationWarning, backupMaxAge, consecutiveRuns);
    }

    /**
     * The defaults overridden by {@code file}.
     *
     * @throws InvalidInputException naming the key when a value or a key is not valid
     */
    public static HealthConfig load(Path file, Path stateDir) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException e) {
            throw new InvalidInputException("cannot read the health configuration " + file + ": " + e.getMessage());
        }
        for (String key : p.stringPropertyNames()) {
            if (!KEYS.contains(key)) {
                throw new InvalidInputException(file + ": unknown key " + key + " (known: health.* keys of"
                        + " docs/operator-guide/sensor-health.md)");
            }
        }
        HealthConfig d = defaults(stateDir);
        try {
            return new HealthConfig(Path.of(p.getProperty("health.systemRoot", d.systemRoot().toString())),
                    list(p, "health.mounts", d.mounts()), integer(p, "health.disk.defaultAlarmPercent", d.diskAlarmPercent()),
                    integer(p, "health.disk.failedPercent", d.diskFailedPercent()),
                    integer(p, "health.memory.degradedPercent", d.memoryDegradedPercent()),
                    integer(p, "health.memory.failedPercent", d.memoryFailedPercent()),
                    decimal(p, "health.load.degradedPerCore", d.loadDegradedPerCore()),
                    list(p, "health.services", d.services()), list(p, "health.processes", d.processes()),
                    list(p, "health.interfaces", d.interfaces()),
                    Duration.ofMinutes(integer(p, "health.interface.idleMinutes", 5)),
                    decimal(p, "health.interface.dropPercent", d.dropPercent()),
                    Duration.ofDays(integer(p, "health.certificate.warnDays", 14)),
                    Duration.ofDays(integer(p, "health.activation.warnDays", 14)),
                    Duration.ofHours(integer(p, "health.backup.maxAgeHours", 48)),
                    integer(p, "health.consecutiveRuns", d.consecutiveRuns()));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(file + ": " + e.getMessage());
        }
    }

    private static List<String> list(Properties p, String key, List<String> fallback) {
        String value = p.getProperty(key);
        if (value == null) {
            return fallback;
        }
        List<String> out = new ArrayList<>();
        for (String part : value.split(",")) {
            if (!part.isBlank()) {
                out.add(part.strip());
            }
        }
        return out;
    }

    private static int integer(Properties p, String key, int fallback) {
        String value = p.getProperty(key);
        try {
            int n = value == null ? fallback : Integer.parseInt(value.strip());
            if (n < 0) {
                throw new IllegalArgumentException(key + " must not be negative");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, not '" + value + "'");
        }
    }

    private static double decimal(Properties p, String key, double fallback) {
        String value = p.getProperty(key);
        try {
            double d = value == null ? fallback : Double.parseDouble(value.strip());
            if (d < 0) {
                throw new IllegalArgumentException(key + " must not be negative");
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, not '" + value + "'");
        }
    }
}
