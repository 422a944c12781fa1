package io.sensorfleet.agent.update;

import io.sensorfleet.agent.RunningVersion;
import io.sensorfleet.agent.settings.SettingsStore;
import io.sensorfleet.lib.settings.SettingsCatalog;
import io.sensorfleet.protocol.v1.heartbeat.Health;
import io.sensorfleet.protocol.v1.heartbeat.HealthCheck;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Handing over to a newly installed agent build, and the marks the new version leaves for its
 * watcher. The running agent switches {@code current}, writes the journal in phase {@code WATCHING}
 * and exits with {@link #EXIT_STATUS}; the launcher (which belongs to the package, not to a version)
 * starts {@code versions/current} again and watches it until the journal's deadline: it counts the
 * starts, reads the marks written here ({@value #HEARTBEAT_MARK}: the first successful heartbeat,
 * {@value #HEALTH_MARK}: the health of the last one) and either writes {@code PASSED} or switches
 * back and writes {@code ROLLED_BACK} with the reason. The rules live in the launcher so that a
 * version which never runs its own code long enough is still rolled back.
 */
public final class HandOver {
    /** The exit status of {@code run} that asks for a start into {@code versions/current} (EX_TEMPFAIL). */
    public static final int EXIT_STATUS = 75;
    /** Starts of the new version (the first one included) after which a further exit rolls back. */
    static final int MAX_STARTS = 3;
    static final String HEARTBEAT_MARK = "watch-heartbeat";
    static final String HEALTH_MARK = "watch-health";
    static final String STARTS = "watch-starts";
    /** The last settled update ({@code task}, {@code stage}, {@code version}, {@code detail}), for {@code sensor-agent update}. */
    static final String OUTCOME = "outcome";

    private HandOver() {
    }

    /**
     * How long the sensor keeps the previous version and watches the new one: the task's
     * {@code watchSeconds} when the console sets it, else the setting {@code update.watchSeconds}.
     */
    static Duration watchWindow(Long fromTask, Path stateDir) {
        if (fromTask != null && fromTask > 0) {
            return Duration.ofSeconds(fromTask);
        }
        return setting(stateDir, SettingsCatalog.WATCH_SECONDS);
    }

    /** How soon a new version must deliver its first heartbeat: the setting {@code update.firstHeartbeatSeconds}. */
    static Duration firstHeartbeatWithin(Path stateDir) {
        return setting(stateDir, SettingsCatalog.FIRST_HEARTBEAT_SECONDS);
    }

    private static Duration setting(Path stateDir, String key) {
        Object v = new SettingsStore(stateDir).current().getOrDefault(key,
                SettingsCatalog.find(key).orElseThrow().defaultValue());
        return Duration.ofSeconds(((Number) v).longValue());
    }

    /**
     * The journal of a hand-over to {@code to}, due for its first heartbeat within {@code firstHeartbeat}
     * (at most the window) when the sensor reports to a console, else (null) not at all.
     */
    static UpdateJournal watching(java.util.UUID task, String from, String to, Duration window, Duration firstHeartbeat,
                                  boolean local) {
        long heartbeatWithin = firstHeartbeat == null ? 0 : Math.min(window.toSeconds(), firstHeartbeat.toSeconds());
        return new UpdateJournal(task, from, to, "WATCHING", window.toSeconds(), heartbeatWithin, 0, 0, MAX_STARTS, null,
                local);
    }

    /**
     * After a heartbeat the console took: while this version is watched, leaves the marks its
     * watcher reads. Cheap when no update is watched (one file lookup).
     */
    public static void heartbeatDelivered(Path stateDir, Health health, Clock clock) {
        Path updates = stateDir.resolve(UpdateLoop.UPDATES);
        if (!Files.exists(updates.resolve(UpdateJournal.FILE))) {
            return;
        }
        Optional<UpdateJournal> j = UpdateJournal.read(updates);
        if (j.isEmpty() || !"WATCHING".equals(j.get().phase())
                || !j.get().to().equals(RunningVersion.at(stateDir, null))) {
            return;
        }
        try {
            if (!Files.exists(updates.resolve(HEARTBEAT_MARK))) {
                Durable.write(updates.resolve(HEARTBEAT_MARK),
                        (clock.instant().getEpochSecond() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            Durable.write(updates.resolve(HEALTH_MARK), (healthLine(health) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // No mark is no heartbeat for the watcher: the version is rolled back, the safe side.
        }
    }

    /** {@code FAILED <check names>} or {@code OK}: one line the launcher can read. */
    static String healthLine(Health health) {
        if (health == null || health.status() != Health.Status.FAILED) {
            return "OK";
        }
        List<HealthCheck> checks = health.checks() == null ? List.of() : health.checks();
        List<String> failed = checks.stream().filter(c -> c.status() == Health.Status.FAILED).map(HealthCheck::name).toList();
        String names = failed.isEmpty() ? (health.detail() == null ? "health" : health.detail()) : String.join(", ", failed);
        return "FAILED " + UpdateJournal.oneLine(names);
    }

    static void recordOutcome(Path updatesDir, io.sensorfleet.protocol.v1.update.UpdateProgress r) throws IOException {
        String text = "task=" + r.taskId() + "\nstage=" + r.stage() + "\nversion=" + r.version() + "\ndetail="
                + UpdateJournal.oneLine(r.detail()) + "\n";
        Durable.write(updatesDir.resolve(OUTCOME), text.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads {@link #OUTCOME} when it is the one of {@code task}. */
    static Optional<java.util.Map<String, String>> outcome(Path updatesDir, java.util.UUID task) {
        try {
            java.util.Map<String, String> v = new java.util.HashMap<>();
            for (String line : Files.readAllLines(updatesDir.resolve(OUTCOME), StandardCharsets.UTF_8)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    v.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            return task.toString().equals(v.get("task")) ? Optional.of(v) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Removes the marks of a settled hand-over. */
    static void clearMarks(Path updatesDir) throws IOException {
        for (String f : List.of(HEARTBEAT_MARK, HEALTH_MARK, STARTS)) {
            Files.deleteIfExists(updatesDir.resolve(f));
        }
    }
}
