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
 * Installs a verified payload as a new version directory, switches {@code current} to it behind a
 * journal, runs its health check and switches back when the check fails. {@link #recover()} at
 * start finishes what a killed agent left: the switch is reverted, so the sensor comes back on the
 * version that was last known to work.
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

    /** How an installation ended. */
    record Outcome(UpdateStage stage, String detail, String log, String version) {
    }

    Outcome install(UUID taskId, Path payloadTar, UpdateManifest m, String from, Consumer<UpdateStage> stages)
            throws IOException {
        stages.accept(UpdateStage.INSTALLING);
        versions.ensureInstalled(from);
        Path staging = versions.root().resolve("." + m.version() + ".staging");
        InstalledVersions.deleteTree(staging);
        extract(payloadTar, staging);
        Path target = versions.dir(m.version());
        InstalledVersions.deleteTree(target);
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
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

    /**
     * Settles an installation the agent was stopped in: the new version was never found healthy, so
     * {@code current} goes back to the old one.
     *
     * @return the report for the console, when there was one to settle
     */
    public Optional<UpdateProgress> recover() throws IOException {
        Optional<UpdateJournal> found = UpdateJournal.read(updatesDir);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        UpdateJournal j = found.get();
        if (j.from() == null) {
            UpdateJournal.clear(updatesDir);
            return Optional.empty();
        }
        versions.switchTo(j.from());
        UpdateJournal.clear(updatesDir);
        return Optional.of(new UpdateProgress(j.taskId(), UpdateStage.ROLLED_BACK, null,
                "the agent stopped while installing " + j.to() + " (" + j.phase().toLowerCase()
                        + ", before the health check passed); version " + j.from() + " was restored at the next start",
                null, j.from()));
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
