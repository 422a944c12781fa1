package io.sensorfleet.console.recovery;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sensorfleet.lib.tar.TarWriter;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes a console backup archive: the master key sealed under the passphrase, a pg_dump of the
 * database (a consistent snapshot), then the backup and package storage as they are after the
 * dump, so every stored file the dump refers to is there (a file stored after the dump is an
 * extra one, which the console ignores).
 */
final class ConsoleBackup {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RecoverySettings settings;
    private final PgTools pg;
    private final Clock clock;

    ConsoleBackup(RecoverySettings settings, PgTools pg, Clock clock) {
        this.settings = settings;
        this.pg = pg;
        this.clock = clock;
    }

    /** Writes the archive to {@code output} (refused when it exists); returns what it holds. */
    Map<String, Object> write(Path output, char[] passphrase) throws IOException {
        byte[] masterKey = masterKey();
        byte[] escrow = MasterKeyEscrow.seal(masterKey, passphrase);
        java.util.Arrays.fill(masterKey, (byte) 0);
        if (Files.exists(output)) {
            throw new RecoveryException(output + " exists: name a new file for the backup");
        }
        Path dir = output.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path partial = Files.createTempFile(dir, ".console-backup-", ".partial",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Path dump = Files.createTempFile(dir, ".console-db-", ".dump",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            pg.dump(dump);
            Map<String, Object> manifest = new LinkedHashMap<>();
            Map<String, Map<String, Object>> files = new LinkedHashMap<>();
            long now = clock.instant().getEpochSecond();
            try (TarWriter tar = new TarWriter(FileChannel.open(partial, StandardOpenOption.WRITE))) {
                tar.file(ArchiveLayout.ESCROW, escrow, now);
                files.put(ArchiveLayout.ESCROW, entry(escrow.length, sha256(escrow)));
                addFile(tar, files, ArchiveLayout.DATABASE, dump, now);
                int backups = addTree(tar, files, ArchiveLayout.BACKUPS, settings.backupsDir());
                int updates = addTree(tar, files, ArchiveLayout.UPDATES, settings.updatesDir());
                manifest.put("format", ArchiveLayout.FORMAT);
                manifest.put("createdAt", clock.instant().toString());
                manifest.put("storedBackupFiles", backups);
                manifest.put("updatePackageFiles", updates);
                manifest.put("files", files);
                tar.file(ArchiveLayout.MANIFEST, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest), now);
                tar.finish();
            }
            try {
                Files.move(partial, output, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException raced) {
                throw new RecoveryException(output + " exists: name a new file for the backup");
            }
            manifest.remove("files");
            manifest.put("archive", output.toString());
            manifest.put("archiveBytes", Files.size(output));
            return manifest;
        } finally {
            Files.deleteIfExists(dump);
            Files.deleteIfExists(partial);
        }
    }

    /** The master key the console uses: configured, else the one it generated in its data directory. */
    private byte[] masterKey() throws IOException {
        String b64;
        if (settings.masterKey().isPresent()) {
            b64 = settings.masterKey().get();
        } else {
            Path file = settings.dataDir().resolve("master.key");
            if (!Files.isReadable(file)) {
                throw new RecoveryException("no master key: neither SENSORFLEET_CONSOLE_MASTER_KEY is set nor " + file
                        + " readable (run the backup as the console's user with the console's environment)");
            }
            b64 = Files.readString(file).strip();
        }
        try {
            byte[] key = Base64.getDecoder().decode(b64);
            if (key.length != 32) {
                throw new RecoveryException("the master key is not base64 of 256 bits");
            }
            return key;
        } catch (IllegalArgumentException e) {
            throw new RecoveryException("the master key is not base64 of 256 bits");
        }
    }

    private static void addFile(TarWriter tar, Map<String, Map<String, Object>> files, String name, Path file, long mtime)
            throws IOException {
        try (FileChannel in = FileChannel.open(file); HashingChannel h = new HashingChannel(in)) {
            long size = in.size();
            tar.file(name, size, mtime, 0600, h);
            files.put(name, entry(size, h.hex()));
        }
    }

    /**
     * Adds every regular file under {@code root}; a file deleted while the tree is walked (the
     * console rotates old backups) is left out, one that changed size is read again.
     */
    private static int addTree(TarWriter tar, Map<String, Map<String, Object>> files, String prefix, Path root)
            throws IOException {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        List<Path> regular = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).sorted().forEach(regular::add);
        }
        int added = 0;
        for (Path p : regular) {
            String name = prefix + root.relativize(p).toString().replace('\\', '/');
            if (!ArchiveLayout.isStorageName(name)) {
                // Not a name the console gives its files (e.g. an editor's or the share's own file).
                continue;
            }
            for (int attempt = 1; ; attempt++) {
                TarWriter.Mark mark = tar.mark();
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                    addFile(tar, files, name, p, a.lastModifiedTime().toInstant().getEpochSecond());
                    added++;
                    break;
                } catch (NoSuchFileException gone) {
                    tar.rewind(mark);
                    break;
                } catch (TarWriter.ShortFileException shrank) {
                    tar.rewind(mark);
                    if (attempt == 3) {
                        throw new RecoveryException(p + " keeps changing while it is read; run the backup again");
                    }
                }
            }
        }
        return added;
    }

    private static Map<String, Object> entry(long size, String sha256) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("size", size);
        e.put("sha256", sha256);
        return e;
    }

    static String sha256(byte[] b) {
        return java.util.HexFormat.of().formatHex(HashingChannel.sha256().digest(b));
    }
}
