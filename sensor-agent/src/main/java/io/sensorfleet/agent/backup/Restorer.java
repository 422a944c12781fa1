package io.sensorfleet.agent.backup;

import io.sensorfleet.lib.tar.TarReader;
import io.sensorfleet.agent.AgentConfig;
import io.sensorfleet.agent.RunningVersion;
import io.sensorfleet.agent.AgentJson;
import io.sensorfleet.agent.identity.StateDir;
import io.sensorfleet.lib.backup.SealedSecrets;
import io.sensorfleet.protocol.v1.backup.BackupFailureKind;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Restores a backup: configuration and data are replaced, captures, logs and the sensor's
 * identity are kept.
 * <p>
 * Nothing changes until everything has been checked: the file's SHA-256 (the expected one, or
 * the {@code .sha256} beside it), that it is a SensorFleet backup, that it was taken with this
 * very software version (seed: same versions only), and every entry of the archive while it is
 * unpacked into {@code restore/new/} — only files and directories under {@code config/} and
 * {@code data/}, no absolute paths, no {@code ..}, no links. Then the swap: a {@code COMMIT} marker
 * is written, the live directories move to {@code restore/old/} and the new ones take their
 * place (renames within one file system). An error during the swap moves everything back; a crash
 * after the marker is finished by {@link #recover()} on the next start, so the sensor always has
 * either the old configuration and data or the restored ones, never a mix.
 * <p>
 * Secrets sealed to the console ({@code config/secrets.conf.sealed}) are never unpacked as they are:
 * {@code config/secrets.conf} is written (mode 0600) from the content the console opened and sent
 * with the restore task, or, for a restore on the sensor itself, kept as the sensor has it now.
 */
public final class Restorer {
    private static final Duration LOCK_WAIT = Duration.ofMinutes(2);
    private static final String NEW = "new";
    private static final String OLD = "old";
    private static final String COMMIT = "COMMIT";

    /** Test hook: runs before each directory is moved during the swap. */
    interface SwapStep {
        void before(String dir) throws IOException;
    }

    private final AgentConfig config;
    private final Path state;
    private final Path work;
    private SwapStep swapStep = d -> { };

    public Restorer(AgentConfig config, StateDir stateDir) {
        this.config = config;
        this.state = stateDir.path();
        this.work = state.resolve(StateLayout.RESTORE);
    }

    void swapStep(SwapStep step) {
        this.swapStep = step;
    }

    /**
     * Restores {@code file}.
     *
     * @param expectedSha256 the SHA-256 the file must have; null to use the {@code .sha256} file beside it, if any
     * @return the backup's manifest
     * @throws BackupException with the reason, and nothing changed
     */
    public BackupManifest restore(Path file, String expectedSha256) {
        return restore(file, expectedSha256, null);
    }

    /**
     * Restores {@code file} whose secrets may be sealed to the console.
     *
     * @param secrets the content of {@code config/secrets.conf} the console opened from the backup's sealed
     *                entry; null when there is none (a restore on the sensor itself: a sealed entry then leaves
     *                the sensor's current secrets in place, as the sensor cannot open it)
     */
    public BackupManifest restore(Path file, String expectedSha256, byte[] secrets) {
        try (BackupLock ignored = BackupLock.acquire(state, LOCK_WAIT)) {
            recover();
            if (!Files.isRegularFile(file)) {
                throw new BackupException(BackupFailureKind.NOT_FOUND, "no backup file " + file);
            }
            String expected = expectedSha256 != null ? expectedSha256 : LocalBackups.readChecksum(file).orElse(null);
            if (expected != null) {
                String actual = sha256(file);
                if (!actual.equals(expected)) {
                    throw new BackupException(BackupFailureKind.CHECKSUM_MISMATCH, file.getFileName()
                            + " is damaged: its SHA-256 is " + actual + ", expected " + expected + "; nothing was restored");
                }
            }
            BackupManifest manifest = manifest(file);
            String running = RunningVersion.of(config);
            if (!running.equals(manifest.softwareVersion())) {
                throw new BackupException(BackupFailureKind.VERSION_MISMATCH, "backup " + file.getFileName()
                        + " was taken with version " + manifest.softwareVersion() + " but this sensor runs version "
                        + running + ": a restore needs the same version on both sides; nothing was restored");
            }
            try {
                unpack(file, secrets);
                swap();
            } catch (IOException e) {
                deleteTree(work);
                throw new BackupException(BackupFailureKind.SENSOR_ERROR, "cannot restore " + file.getFileName() + ": "
                        + e.getMessage() + "; the previous configuration and data are in place", e);
            } catch (BackupException e) {
                deleteTree(work);
                throw e;
            }
            deleteTree(work);
            return manifest;
        }
    }

    /** Finishes a swap a crash interrupted, or throws away an unfinished staging. Safe to call any time. */
    public void recover() {
        if (!Files.isDirectory(work)) {
            return;
        }
        try {
            if (Files.exists(work.resolve(COMMIT))) {
                Files.createDirectories(work.resolve(OLD));
                for (String d : StateLayout.BACKED_UP) {
                    Path fresh = work.resolve(NEW).resolve(d);
                    if (Files.exists(fresh)) {
                        Path live = state.resolve(d);
                        if (Files.exists(live)) {
                            Files.move(live, work.resolve(OLD).resolve(d), StandardCopyOption.ATOMIC_MOVE);
                        }
                        Files.move(fresh, live, StandardCopyOption.ATOMIC_MOVE);
                    }
                }
            }
            deleteTree(work);
        } catch (IOException e) {
            throw new BackupException(BackupFailureKind.SENSOR_ERROR, "cannot finish the restore interrupted earlier in "
                    + work + ": " + e.getMessage(), e);
        }
    }

    /** Reads the manifest, the archive's first entry. */
    static BackupManifest manifest(Path file) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            TarReader tar = new TarReader(in);
            TarReader.Entry first = tar.next();
            if (first == null || !first.isFile() || !BackupManifest.ENTRY.equals(first.name()) || first.size() > 65536) {
                throw notABackup(file, "it does not start with " + BackupManifest.ENTRY);
            }
            BackupManifest m = AgentJson.mapper().readValue(tar.content().readAllBytes(), BackupManifest.class);
            if (m.softwareVersion() == null || m.format() != BackupManifest.FORMAT) {
                throw notABackup(file, "its manifest has no version or an unknown format " + m.format());
            }
            return m;
        } catch (IOException e) {
            throw notABackup(file, e.getMessage());
        }
    }

    private static BackupException notABackup(Path file, String why) {
        return new BackupException(BackupFailureKind.SENSOR_ERROR, file.getFileName()
                + " is not a SensorFleet backup (" + why + "); nothing was restored");
    }

    private void unpack(Path file, byte[] secrets) throws IOException {
        deleteTree(work);
        Path root = work.resolve(NEW);
        Files.createDirectories(root);
        boolean sealed = false;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 256 * 1024)) {
            TarReader tar = new TarReader(in);
            tar.next(); // the manifest, read already
            for (TarReader.Entry e = tar.next(); e != null; e = tar.next()) {
                Path target = checkedTarget(root, e);
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else if (e.name().equals(SealedSecrets.SEALED_ENTRY)) {
                    sealed = true; // only the console can open it: written below from what it sent, never as is
                } else {
                    Files.createDirectories(target.getParent());
                    try (OutputStream out = Files.newOutputStream(target)) {
                        tar.content().transferTo(out);
                    }
                    int mode = e.name().equals(SealedSecrets.CLEAR_ENTRY) ? 0600 : e.mode() | 0600;
                    Files.setPosixFilePermissions(target, permissions(mode));
                    Files.setLastModifiedTime(target, FileTime.from(java.time.Instant.ofEpochSecond(e.mtimeSeconds())));
                }
            }
        }
        for (String d : StateLayout.BACKED_UP) {
            Files.createDirectories(root.resolve(d));
        }
        if (sealed) {
            restoreSecrets(root.resolve(SealedSecrets.CLEAR_ENTRY), secrets);
        }
    }

    /** The secrets the console opened, or, without them, the sensor's current ones; mode 0600 either way. */
    private void restoreSecrets(Path target, byte[] secrets) throws IOException {
        Path live = state.resolve(SealedSecrets.CLEAR_ENTRY);
        Files.createDirectories(target.getParent());
        Files.deleteIfExists(target);
        Files.createFile(target, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(permissions(0600)));
        if (secrets != null) {
            Files.write(target, secrets);
        } else if (Files.isRegularFile(live)) {
            Files.write(target, Files.readAllBytes(live));
        } else {
            Files.delete(target);
        }
    }

    /** Where an entry goes under {@code root}, or a refusal naming the entry. */
    private static Path checkedTarget(Path root, TarReader.Entry e) {
        String name = e.name();
        if (!e.isFile() && !e.isDirectory()) {
            throw hostile(name, "is a link or special file");
        }
        String trimmed = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        if (trimmed.isEmpty() || trimmed.startsWith("/") || trimmed.contains("\\") || trimmed.indexOf('\0') >= 0) {
            throw hostile(name, "is not a relative path");
        }
        String[] parts = trimmed.split("/", -1);
        for (String part : parts) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw hostile(name, "has an empty, '.' or '..' segment");
            }
        }
        if (!StateLayout.BACKED_UP.contains(parts[0])) {
            throw hostile(name, "is outside " + String.join(" and ", StateLayout.BACKED_UP));
        }
        Path target = root.resolve(trimmed).normalize();
        if (!target.startsWith(root)) {
            throw hostile(name, "points outside the state directory");
        }
        return target;
    }

    private static BackupException hostile(String name, String why) {
        return new BackupException(BackupFailureKind.SENSOR_ERROR, "the backup's entry '" + name.replaceAll("\\p{Cntrl}", "?")
                + "' " + why + "; nothing was restored");
    }

    private void swap() throws IOException {
        Path old = work.resolve(OLD);
        Files.createDirectories(old);
        Files.writeString(work.resolve(COMMIT), "restore in progress: see Restorer.recover\n");
        int moved = 0;
        try {
            for (String d : StateLayout.BACKED_UP) {
                swapStep.before(d);
                Path live = state.resolve(d);
                // so that a roll-back always has something to put back
                Files.createDirectories(live);
                Files.move(live, old.resolve(d), StandardCopyOption.ATOMIC_MOVE);
                Files.move(work.resolve(NEW).resolve(d), live, StandardCopyOption.ATOMIC_MOVE);
                moved++;
            }
        } catch (IOException e) {
            rollBack(moved);
            throw e;
        }
        Files.delete(work.resolve(COMMIT));
    }

    private void rollBack(int moved) throws IOException {
        Path old = work.resolve(OLD);
        for (int i = 0; i <= Math.min(moved, StateLayout.BACKED_UP.size() - 1); i++) {
            String d = StateLayout.BACKED_UP.get(i);
            Path live = state.resolve(d);
            if (Files.exists(old.resolve(d))) {
                if (Files.exists(live)) {
                    Files.move(live, work.resolve(NEW).resolve(d), StandardCopyOption.ATOMIC_MOVE);
                }
                Files.move(old.resolve(d), live, StandardCopyOption.ATOMIC_MOVE);
            }
        }
        Files.deleteIfExists(work.resolve(COMMIT));
    }

    private static String sha256(Path file) {
        try {
            return LocalBackups.sha256(file);
        } catch (IOException e) {
            throw new BackupException(BackupFailureKind.SENSOR_ERROR, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_READ};
        for (int i = 0; i < order.length; i++) {
            if ((mode & (1 << i)) != 0) {
                s.add(order[i]);
            }
        }
        return s;
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // leftovers are removed by the next recover()
        }
    }
}
