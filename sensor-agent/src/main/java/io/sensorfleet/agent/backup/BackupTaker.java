package io.sensorfleet.agent.backup;

import io.sensorfleet.lib.tar.TarWriter;
import io.sensorfleet.agent.AgentConfig;
import io.sensorfleet.agent.RunningVersion;
import io.sensorfleet.agent.AgentJson;
import io.sensorfleet.agent.identity.Identity;
import io.sensorfleet.agent.identity.StateDir;
import io.sensorfleet.agent.settings.SettingsStore;
import io.sensorfleet.protocol.v1.backup.BackupFailureKind;
import io.sensorfleet.lib.backup.BackupNames;
import io.sensorfleet.lib.backup.SealedSecrets;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Takes a backup: configuration and data, never captures or logs, into
 * {@code backups/<sensor>-backup-version-<version>-<yyyy-MM-dd_HH:mm:ss>.tar} (time in the sensor's
 * zone) with its SHA-256 in {@code .sha256} beside it, then deletes local backups beyond the
 * retention setting.
 * <p>
 * Consistency without copying everything first: each file is written to the archive straight
 * from disk, and its size, modification and change times are compared before and after; if they
 * moved (or the file shrank while read) the entry is taken back out of the archive and the file is
 * read again, up to {@value #ATTEMPTS} times. Files replaced by rename — how the agent writes its
 * own — are read either wholly old or wholly new.
 * <p>
 * When the console's sealing key is known ({@link SealingKeyFile}), {@code config/secrets.conf} goes
 * into the archive only sealed to it, as {@code config/secrets.conf.sealed}.
 */
public final class BackupTaker {
    static final int ATTEMPTS = 5;
    private static final Duration LOCK_WAIT = Duration.ofMinutes(2);

    private final AgentConfig config;
    private final StateDir stateDir;
    private final SettingsStore settings;
    private final LocalBackups local;
    private final SealingKeyFile sealingKey;
    /** Test hook: runs after a file's bytes are read and before it is checked for changes. */
    private Consumer<Path> afterRead = p -> { };

    public BackupTaker(AgentConfig config, StateDir stateDir) {
        this.config = config;
        this.stateDir = stateDir;
        this.settings = new SettingsStore(stateDir.path());
        this.local = new LocalBackups(stateDir.path());
        this.sealingKey = new SealingKeyFile(stateDir.path());
    }

    void afterRead(Consumer<Path> hook) {
        this.afterRead = hook;
    }

    public LocalBackups local() {
        return local;
    }

    /** Takes a backup now, under the sensor-wide backup lock. */
    public LocalBackup take() {
        Identity identity = stateDir.requireIdentity();
        StateLayout.ensure(stateDir.path());
        BackupSettings schedule = BackupSettings.read(settings);
        try (BackupLock ignored = BackupLock.acquire(stateDir.path(), LOCK_WAIT)) {
            Instant now = config.clock().instant();
            // Once per backup, so its name, manifest and record agree even if an update switches versions meanwhile.
            String version = RunningVersion.of(config);
            Path target = freeName(identity.sensorName(), version, LocalDateTime.ofInstant(now, schedule.zone()));
            Path tmp = target.resolveSibling("." + target.getFileName() + ".part");
            String sha;
            try {
                sha = write(tmp, new BackupManifest(BackupManifest.FORMAT, identity.sensorId(), identity.sensorName(),
                        version, now, StateLayout.BACKED_UP));
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                LocalBackups.writeChecksum(target, sha);
            } catch (IOException e) {
                throw new BackupException(BackupFailureKind.SENSOR_ERROR, "cannot write the backup in " + local.dir()
                        + ": " + e.getMessage(), e);
            } finally {
                deleteQuietly(tmp);
            }
            try {
                local.retain(schedule.retention());
            } catch (IOException e) {
                // the new backup is fine; old ones stay until the next successful pass
            }
            return new LocalBackup(target, sha, size(target), version, now);
        }
    }

    private String write(Path tmp, BackupManifest manifest) throws IOException {
        Files.createDirectories(tmp.getParent());
        try (TarWriter tar = new TarWriter(FileChannel.open(tmp, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE))) {
            long now = manifest.takenAt().getEpochSecond();
            tar.file(BackupManifest.ENTRY, manifestJson(manifest), now);
            Optional<SealingKeyFile.Usable> key = sealingKey.read();
            for (String top : StateLayout.BACKED_UP) {
                Path root = stateDir.path().resolve(top);
                tar.directory(top, now);
                if (Files.isDirectory(root)) {
                    addTree(tar, root, top, key);
                }
            }
            String sha = tar.finish();
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            return sha;
        }
    }

    private void addTree(TarWriter tar, Path root, String top, Optional<SealingKeyFile.Usable> key) throws IOException {
        List<Path> entries;
        try (Stream<Path> walk = Files.walk(root)) {
            entries = new ArrayList<>(walk.filter(p -> !p.equals(root)).sorted().toList());
        }
        for (Path p : entries) {
            String name = top + "/" + root.relativize(p).toString().replace('\\', '/');
            BasicFileAttributes a;
            try {
                a = Files.readAttributes(p, BasicFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                continue; // deleted since the walk: not part of this backup
            }
            if (a.isDirectory()) {
                tar.directory(name, a.lastModifiedTime().toInstant().getEpochSecond());
            } else if (a.isRegularFile() && name.equals(SealedSecrets.CLEAR_ENTRY) && key.isPresent()) {
                addSealed(tar, p, key.get());
            } else if (a.isRegularFile()) {
                addFile(tar, p, name);
            }
            // links, sockets and devices are not configuration or data: skipped on purpose
        }
    }

    private void addFile(TarWriter tar, Path p, String name) throws IOException {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            TarWriter.Mark mark = tar.mark();
            Snapshot before;
            try {
                before = Snapshot.of(p);
            } catch (NoSuchFileException e) {
                return;
            }
            try (FileChannel in = FileChannel.open(p, StandardOpenOption.READ)) {
                tar.file(name, before.size(), before.modifiedSeconds(), before.mode(), in);
            } catch (TarWriter.ShortFileException | NoSuchFileException e) {
                tar.rewind(mark);
                continue;
            }
            afterRead.accept(p);
            Snapshot after;
            try {
                after = Snapshot.of(p);
            } catch (NoSuchFileException e) {
                tar.rewind(mark);
                return; // deleted while read: as if it had been deleted just before
            }
            if (after.equals(before)) {
                return;
            }
            tar.rewind(mark);
        }
        throw new BackupException(BackupFailureKind.SENSOR_ERROR, name + " kept changing while it was read ("
                + ATTEMPTS + " attempts); try the backup again when it is quieter");
    }

    /**
     * The secrets, sealed to the console's key, instead of the clear file: they never leave the sensor
     * in clear. The file is small and replaced by rename, so one read sees it whole.
     */
    private static void addSealed(TarWriter tar, Path p, SealingKeyFile.Usable key) throws IOException {
        byte[] clear;
        long mtime;
        try {
            mtime = Files.getLastModifiedTime(p).toMillis() / 1000;
            clear = Files.readAllBytes(p);
        } catch (NoSuchFileException e) {
            return;
        }
        byte[] sealed = SealedSecrets.seal(key.key(), clear, SealedSecrets.SEALED_ENTRY);
        java.util.Arrays.fill(clear, (byte) 0);
        tar.file(SealedSecrets.SEALED_ENTRY, sealed.length, mtime, 0600,
                java.nio.channels.Channels.newChannel(new java.io.ByteArrayInputStream(sealed)));
    }

    /** What tells that a file changed: size, modification time and, where the file system has it, change time. */
    private record Snapshot(long size, long modifiedNanos, Object changed, int mode, Object fileKey) {
        static Snapshot of(Path p) throws IOException {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            Object ctime = null;
            int mode = 0644;
            try {
                var unix = Files.readAttributes(p, "unix:ctime,mode");
                ctime = unix.get("ctime");
                mode = ((Integer) unix.get("mode")) & 0777;
            } catch (UnsupportedOperationException | IllegalArgumentException e) {
                // not a POSIX file system: size and mtime must do
            }
            long mtime = a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS);
            return new Snapshot(a.size(), mtime, ctime, mode, a.fileKey());
        }

        long modifiedSeconds() {
            return modifiedNanos / 1_000_000_000L;
        }
    }

    /** The appliance's backup name; should one already exist (two backups within a second), the next free second. */
    private Path freeName(String sensorName, String version, LocalDateTime at) throws BackupException {
        try {
            Files.createDirectories(local.dir());
        } catch (IOException e) {
            throw new BackupException(BackupFailureKind.SENSOR_ERROR, "cannot create " + local.dir() + ": " + e.getMessage(), e);
        }
        LocalDateTime t = at;
        for (int i = 0; i < 60; i++, t = t.plusSeconds(1)) {
            Path p = local.dir().resolve(BackupNames.fileName(sensorName, version, t));
            if (!Files.exists(p)) {
                return p;
            }
        }
        throw new BackupException(BackupFailureKind.SENSOR_ERROR, "too many backups within a minute");
    }

    private static byte[] manifestJson(BackupManifest m) {
        return AgentJson.mapper().pretty().writeValueAsBytes(m);
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // a leftover .part is ignored by listing and overwritten next time
        }
    }
}
