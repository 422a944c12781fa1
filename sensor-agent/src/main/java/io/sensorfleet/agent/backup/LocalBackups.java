package io.sensorfleet.agent.backup;

import io.sensorfleet.lib.tar.TarWriter;
import io.sensorfleet.lib.backup.BackupNames;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The backups in {@code <state-dir>/backups/}: listing (newest first), retention, and the
 * {@code sha256sum}-format checksum files ({@code <hex>  <name>}, so {@code sha256sum -c} checks them).
 */
public final class LocalBackups {
    private final Path dir;

    public LocalBackups(Path stateDir) {
        this.dir = stateDir.resolve(StateLayout.BACKUPS);
    }

    public Path dir() {
        return dir;
    }

    /** Complete backups (archive and checksum file both present), newest first. */
    public List<LocalBackup> list() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<LocalBackup> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.getFileName().toString().endsWith(BackupNames.EXTENSION)).toList()) {
                readChecksum(p).ifPresent(sha -> out.add(describe(p, sha)));
            }
        } catch (IOException e) {
            throw new BackupException(io.sensorfleet.protocol.v1.backup.BackupFailureKind.SENSOR_ERROR,
                    "cannot list the backups in " + dir + ": " + e.getMessage(), e);
        }
        out.sort(Comparator.comparing(LocalBackup::takenAt).thenComparing(LocalBackup::fileName).reversed());
        return out;
    }

    public Optional<LocalBackup> newest() {
        return list().stream().findFirst();
    }

    /** Deletes all but the newest {@code keep} backups; returns the deleted files. */
    public List<Path> retain(int keep) throws IOException {
        List<LocalBackup> all = list();
        List<Path> deleted = new ArrayList<>();
        for (LocalBackup old : all.subList(Math.min(keep, all.size()), all.size())) {
            Files.deleteIfExists(checksumFile(old.file()));
            Files.deleteIfExists(old.file());
            deleted.add(old.file());
        }
        return deleted;
    }

    static Path checksumFile(Path archive) {
        return archive.resolveSibling(archive.getFileName() + BackupNames.CHECKSUM_EXTENSION);
    }

    /** The hex recorded beside {@code archive}, or empty when there is no (valid) checksum file. */
    public static Optional<String> readChecksum(Path archive) {
        try {
            String line = Files.readString(checksumFile(archive), StandardCharsets.UTF_8).strip();
            String hex = line.split("\\s+", 2)[0].toLowerCase();
            return BackupNames.isSha256(hex) ? Optional.of(hex) : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static void writeChecksum(Path archive, String sha256) throws IOException {
        Path file = checksumFile(archive);
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(tmp, sha256 + "  " + archive.getFileName() + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** SHA-256 of a whole file, lowercase hex. */
    public static String sha256(Path file) throws IOException {
        MessageDigest d = TarWriter.sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[256 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                d.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(d.digest());
    }

    private static LocalBackup describe(Path archive, String sha) {
        long size;
        Instant modified;
        try (FileChannel ch = FileChannel.open(archive, StandardOpenOption.READ)) {
            size = ch.size();
            modified = Files.getLastModifiedTime(archive).toInstant();
        } catch (IOException e) {
            size = -1;
            modified = Instant.EPOCH;
        }
        String version = BackupNames.parse(archive.getFileName().toString()).map(BackupNames.Parsed::version).orElse("?");
        return new LocalBackup(archive, sha, size, version, modified);
    }
}
