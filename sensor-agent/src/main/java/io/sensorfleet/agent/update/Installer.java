package io.sensorfleet.agent.update;

import io.sensorfleet.lib.tar.TarReader;
import io.sensorfleet.protocol.v1.update.UpdateProgress;
import io.sensorfleet.protocol.v1.update.UpdateStage;
import io.sensorfleet.lib.packages.UpdateManifest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Installs a verified payload as a new version directory and switches {@code current} to it behind
 * a journal: an agent build is handed over to (the launcher restarts into it and watches it, see
 * {@link HandOver}); other payloads are checked in place and switched back when the check fails.
 * {@link #settle()} at start finishes what a killed agent or the watcher left, so the sensor comes
 * back on one complete version and the outcome is reported.
 */
public final class Installer {
    /**
     * Told each time an installation passes a point where a crash must be survivable (after the
     * switch, before the health check): a seam for tests that stop the agent there.
     */
    @FunctionalInterface
    public interface StageHook {
        StageHook NONE = (stage, stateDir) -> {
        };

        void reached(UpdateStage stage, Path stateDir);
    }

    private final Path stateDir;
    private final Path updatesDir;
    private final InstalledVersions versions;
    private final StageHook hook;

    public Installer(Path stateDir, StageHook hook) {
        this.stateDir = stateDir;
        this.updatesDir = stateDir.resolve(UpdateLoop.UPDATES);
        this.versions = new InstalledVersions(stateDir);
        this.hook = hook;
    }

    public Installer(Path stateDir) {
        this(stateDir, StageHook.NONE);
    }

    /**
     * How an installation ended.
     *
     * @param handedOver the new version is current and the running agent must exit with
     *                   {@link HandOver#EXIT_STATUS}: the outcome comes from the watch, later
     */
    record Outcome(UpdateStage stage, String detail, String log, String version, boolean handedOver) {
        Outcome(UpdateStage stage, String detail, String log, String version) {
            this(stage, detail, log, version, false);
        }
    }

    /**
     * How to put a new agent build into service: hand over to it and watch it for {@code window}.
     *
     * @param firstHeartbeat the sensor reports to a console: the new version's first heartbeat is due
     *                       within this; null for a sensor not connected
     * @param local          installed from the command line: no console task
     */
    record Watch(Duration window, Duration firstHeartbeat, boolean local) {
    }

    /** Installs in place: the running agent keeps running (a payload that is not an agent build, a simulated sensor). */
    Outcome install(UUID taskId, Path payloadTar, UpdateManifest m, String from, Consumer<UpdateStage> stages)
            throws IOException {
        return install(taskId, payloadTar, m, from, stages, null);
    }

    /**
     * Installs {@code versions/<version>} side by side. A payload carrying an agent build
     * ({@value InstalledVersions#AGENT_JAR}) with a {@code watch} is handed over to: its health
     * check runs first, then the journal (WATCHING) is written and {@code current} switched, and the
     * caller exits; anything else is switched to and checked in place.
     */
    Outcome install(UUID taskId, Path payloadTar, UpdateManifest m, String from, Consumer<UpdateStage> stages,
                    Watch watch) throws IOException {
        stages.accept(UpdateStage.INSTALLING);
        versions.ensureInstalled(from);
        Path staging = versions.root().resolve("." + m.version() + ".staging");
        InstalledVersions.deleteTree(staging);
        extract(payloadTar, staging);
        Durable.syncTree(staging);
        Path target = versions.dir(m.version());
        InstalledVersions.deleteTree(target);
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        Durable.sync(versions.root());
        if (watch != null && Files.isRegularFile(target.resolve(InstalledVersions.AGENT_JAR))) {
            return handOver(taskId, m, from, stages, watch, target);
        }
        UpdateJournal journal = new UpdateJournal(taskId, from, m.version(), "SWITCHING");
        journal.write(updatesDir);
        versions.switchTo(m.version());
        journal.phase("VALIDATING").write(updatesDir);
        hook.reached(UpdateStage.INSTALLING, stateDir);
        stages.accept(UpdateStage.VALIDATING);
        HealthCheck.Result check = HealthCheck.run(target, stateDir, m.version(),
                Duration.ofSeconds(m.healthcheckTimeoutSeconds()));
        if (check.healthy()) {
            UpdateJournal.clear(updatesDir);
            versions.keepOnly(m.version(), from);
            return new Outcome(UpdateStage.SUCCEEDED, "version " + m.version() + " installed and healthy",
                    check.output(), m.version());
        }
        versions.switchTo(from);
        UpdateJournal.clear(updatesDir);
        return new Outcome(UpdateStage.ROLLED_BACK, check.summary() + "; version " + from + " restored",
                check.output(), from);
    }

    private Outcome handOver(UUID taskId, UpdateManifest m, String from, Consumer<UpdateStage> stages, Watch watch,
                             Path target) throws IOException {
        stages.accept(UpdateStage.VALIDATING);
        HealthCheck.Result check = HealthCheck.run(target, stateDir, m.version(),
                Duration.ofSeconds(m.healthcheckTimeoutSeconds()));
        if (!check.healthy()) {
            return new Outcome(UpdateStage.FAILED, "the health check of " + m.version() + " failed before the hand-over ("
                    + check.summary() + "); version " + from + " keeps running", check.output(), from);
        }
        HandOver.clearMarks(updatesDir);
        // The journal first: a crash after the switch is then always watched (and rolled back if need be).
        HandOver.watching(taskId, from, m.version(), watch.window(), watch.firstHeartbeat(), watch.local()).write(updatesDir);
        versions.switchTo(m.version());
        hook.reached(UpdateStage.INSTALLING, stateDir);
        return new Outcome(UpdateStage.VALIDATING, "version " + m.version() + " installed; handing over to it (watched for "
                + watch.window().toSeconds() + " s)", check.output(), m.version(), true);
    }

    /** A hand-over settled for good: what to report, and whether a console waits for it. */
    public record Settled(UpdateProgress report, boolean local) {
    }

    /**
     * Settles an installation the agent was stopped in, or a hand-over its watcher decided. An
     * installation in place that never passed its health check goes back to the old version; a
     * hand-over the launcher still watches ({@code WATCHING} with {@code current} on the new version)
     * is left alone.
     *
     * @return the report for the console, when there was one to settle
     */
    public Optional<UpdateProgress> recover() throws IOException {
        return settle().map(Settled::report);
    }

    /** As {@link #recover()}, telling whether the update came from the command line. */
    public synchronized Optional<Settled> settle() throws IOException {
        Optional<UpdateJournal> found = UpdateJournal.read(updatesDir);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        UpdateJournal j = found.get();
        if (j.from() == null || j.to() == null) {
            UpdateJournal.clear(updatesDir);
            return Optional.empty();
        }
        String current = versions.current().orElse(j.from());
        UpdateProgress report;
        switch (j.phase()) {
            case "WATCHING" -> {
                if (current.equals(j.to())) {
                    return Optional.empty();
                }
                // The switch never landed (or was undone): the old version runs, nothing to watch.
                versions.switchTo(j.from());
                report = new UpdateProgress(j.taskId(), UpdateStage.ROLLED_BACK, null, "the agent stopped before handing"
                        + " over to " + j.to() + "; version " + j.from() + " kept", null, j.from());
            }
            case "PASSED" -> {
                versions.keepOnly(j.to(), j.from());
                report = new UpdateProgress(j.taskId(), UpdateStage.SUCCEEDED, null, "version " + j.to()
                        + " runs and stayed healthy through its watch window", null, j.to());
            }
            case "ROLLED_BACK" -> {
                versions.switchTo(j.from());
                report = new UpdateProgress(j.taskId(), UpdateStage.ROLLED_BACK, null, "rolled back from " + j.to() + " to "
                        + j.from() + ": " + (j.reason() == null ? "the watcher gave no reason" : j.reason()), null, j.from());
            }
            default -> {
                versions.switchTo(j.from());
                report = new UpdateProgress(j.taskId(), UpdateStage.ROLLED_BACK, null,
                        "the agent stopped while installing " + j.to() + " (" + j.phase().toLowerCase()
                                + ", before the health check passed); version " + j.from() + " was restored at the next start",
                        null, j.from());
            }
        }
        HandOver.recordOutcome(updatesDir, report);
        UpdateJournal.clear(updatesDir);
        HandOver.clearMarks(updatesDir);
        return Optional.of(new Settled(report, j.local()));
    }

    private void extract(Path payloadTar, Path into) throws IOException {
        Files.createDirectories(into);
        try (InputStream in = Files.newInputStream(payloadTar)) {
            TarReader tar = new TarReader(in);
            for (TarReader.Entry e = tar.next(); e != null; e = tar.next()) {
                Path target = safeTarget(into, e);
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                Files.copy(tar.content(), target, StandardCopyOption.REPLACE_EXISTING);
                if ((e.mode() & 0100) != 0) {
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            }
        }
    }

    private static Path safeTarget(Path root, TarReader.Entry e) throws IOException {
        String name = e.name().endsWith("/") ? e.name().substring(0, e.name().length() - 1) : e.name();
        if (!e.isFile() && !e.isDirectory()) {
            throw new IOException("payload entry " + e.name() + " is a link or special file");
        }
        if (name.isEmpty() || name.startsWith("/") || name.contains("\\")
                || java.util.Arrays.stream(name.split("/")).anyMatch(p -> p.isEmpty() || p.equals(".") || p.equals(".."))) {
            throw new IOException("payload entry " + e.name() + " is not a plain relative path");
        }
        Path target = root.resolve(name).normalize();
        if (!target.startsWith(root)) {
            throw new IOException("payload entry " + e.name() + " leaves its directory");
        }
        return target;
    }
}
