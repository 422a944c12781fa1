package io.sensorfleet.agent.update;

import io.sensorfleet.agent.AgentConfig;
import io.sensorfleet.agent.RunningVersion;
import io.sensorfleet.agent.backup.BackupException;
import io.sensorfleet.agent.backup.BackupTaker;
import io.sensorfleet.protocol.v1.update.UpdateStage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code sensor-agent update <file>}: a package installed from the command line on a standalone
 * sensor, with the checks, backup, hand-over and watch of a console's update. The running daemon
 * (its process id is in {@value #DAEMON_PID}) is stopped so that the launcher starts the new version.
 */
public final class LocalUpdate {
    /** The daemon's process id, written by {@code run} while it runs. */
    public static final String DAEMON_PID = "agent.pid";

    /**
     * What the command did.
     *
     * @param handedOver the new version is current and watched; its outcome comes later ({@link #outcome})
     * @param daemon     the daemon process asked to stop for the hand-over, when one ran
     */
    public record Started(UUID task, String from, String to, UpdateStage stage, String detail, boolean handedOver,
                          Duration window, Optional<Long> daemon) {
    }

    private final AgentConfig config;
    private final VendorKeyRing keys;
    private final BackupTaker taker;
    private final Installer installer;

    public LocalUpdate(AgentConfig config, VendorKeyRing keys, BackupTaker taker) {
        this.config = config;
        this.keys = keys;
        this.taker = taker;
        this.installer = new Installer(config.stateDir());
    }

    /** Checks and installs {@code pkg}; {@code watch} null: the sensor's own watch window. */
    public Started install(Path pkg, Duration watch) throws UpdateException, IOException {
        Path state = config.stateDir();
        Path updates = state.resolve(UpdateLoop.UPDATES);
        Optional<UpdateJournal> pending = UpdateJournal.read(updates);
        if (pending.isPresent()) {
            throw new UpdateException("an update to " + pending.get().to() + " is in progress (" + pending.get().phase()
                    + "); wait for its outcome");
        }
        if (!Files.isRegularFile(pkg)) {
            throw new UpdateException("no package file " + pkg);
        }
        String from = RunningVersion.at(state, config.softwareVersion());
        UUID task = UUID.randomUUID();
        Files.createDirectories(updates);
        Path payload = updates.resolve(task + ".payload.tar");
        try {
            var manifest = PackageCheck.verify(pkg, payload, null, from, keys);
            boolean connected = Files.exists(state.resolve("agent.json"));
            try {
                // A backup belongs to a sensor identity: one never connected has none to take.
                if (connected) {
                    taker.take();
                }
            } catch (BackupException e) {
                throw new UpdateException("the backup before installing failed: " + e.getMessage());
            }
            Duration window = watch != null ? watch : HandOver.watchWindow(null, state);
            Installer.Outcome o = installer.install(task, payload, manifest, from, s -> { },
                    new Installer.Watch(window, connected ? HandOver.firstHeartbeatWithin(state) : null, true));
            Optional<Long> daemon = o.handedOver() ? stopDaemon(state) : Optional.empty();
            return new Started(task, from, manifest.version(), o.stage(), o.detail(), o.handedOver(), window, daemon);
        } finally {
            Files.deleteIfExists(payload);
        }
    }

    /** The settled outcome of {@code task} ({@code stage}, {@code version}, {@code detail}), once there is one. */
    public static Optional<Map<String, String>> outcome(Path stateDir, UUID task) {
        return HandOver.outcome(stateDir.resolve(UpdateLoop.UPDATES), task);
    }

    /** Asks the running daemon to stop (SIGTERM): the launcher starts {@code versions/current} again. */
    private static Optional<Long> stopDaemon(Path state) {
        Path f = state.resolve(UpdateLoop.UPDATES).resolve(DAEMON_PID);
        try {
            long pid = Long.parseLong(Files.readString(f, StandardCharsets.UTF_8).strip());
            Optional<ProcessHandle> p = ProcessHandle.of(pid);
            // Only a live agent daemon: a stale file may name a process id reused by something else.
            if (p.isPresent() && p.get().info().commandLine().map(c -> c.contains(" run")).orElse(false)) {
                p.get().destroy();
                return Optional.of(pid);
            }
        } catch (IOException | NumberFormatException e) {
            // no daemon runs: the launcher starts the new version at its next start
        }
        return Optional.empty();
    }
}
