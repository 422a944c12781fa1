package io.sensorfleet.console.recovery;

import io.sensorfleet.lib.tar.TarReader;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Restores a console backup onto a new instance: into an empty database, empty storage
 * directories, and the master key recovered from its escrow. Everything that can be checked is
 * checked before anything changes (the whole archive, the passphrase, the target database and
 * directories, the master key the instance is configured with); the database is then loaded in
 * one transaction.
 */
final class ConsoleRestore {
    private final RecoverySettings settings;
    private final PgTools pg;

    ConsoleRestore(RecoverySettings settings, PgTools pg) {
        this.settings = settings;
        this.pg = pg;
    }

    /**
     * @param masterKeyOut where to write the recovered master key; empty: the data directory's
     *                     {@code master.key}, unless the instance is configured with the same key
     */
    Map<String, Object> restore(Path archive, char[] passphrase, Optional<Path> masterKeyOut) throws IOException {
        ArchiveCheck.Checked checked = ArchiveCheck.check(archive, passphrase);
        byte[] key = checked.masterKey();
        try {
            Path keyFile = keyDestination(key, masterKeyOut);
            requireEmptyDirectory(settings.backupsDir(), "backup storage");
            requireEmptyDirectory(settings.updatesDir(), "package storage");
            requireEmptyDatabase();

            Path dump = Files.createTempFile("console-restore-", ".dump",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                extract(archive, dump);
                pg.restore(dump);
            } finally {
                Files.deleteIfExists(dump);
            }
            if (keyFile != null) {
                writeKey(keyFile, key);
            }
            Map<String, Object> done = new LinkedHashMap<>();
            done.put("archive", archive.toString());
            done.put("createdAt", checked.createdAt());
            done.put("storedBackupFiles", checked.backupFiles());
            done.put("updatePackageFiles", checked.updateFiles());
            done.put("masterKey", keyFile == null ? "the configured one (it matches the archive's)" : keyFile.toString());
            return done;
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** Where the key goes, or null when the configured one is already it; refuses a conflicting key. */
    private Path keyDestination(byte[] key, Optional<Path> out) throws IOException {
        if (settings.masterKey().isPresent()) {
            byte[] configured = decode(settings.masterKey().get());
            if (!java.security.MessageDigest.isEqual(configured, key)) {
                throw new RecoveryException("this instance is configured with another master key "
                        + "(SENSORFLEET_CONSOLE_MASTER_KEY) than the archive's; unset it for the restore, "
                        + "or set it to the key the restore writes with --master-key-out");
            }
            if (out.isEmpty()) {
                return null;
            }
        }
        Path file = out.orElse(settings.dataDir().resolve("master.key"));
        if (Files.exists(file)) {
            if (out.isEmpty() && sameKey(file, key)) {
                return null;
            }
            throw new RecoveryException(file + " exists: a restore never overwrites a master key; "
                    + "use a new data directory (or name a new file with --master-key-out)");
        }
        return file;
    }

    private static byte[] decode(String b64) {
        try {
            return Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw new RecoveryException("SENSORFLEET_CONSOLE_MASTER_KEY is not base64");
        }
    }

    private void requireEmptyDatabase() {
        Properties p = new Properties();
        p.setProperty("user", settings.dbUser());
        p.setProperty("password", settings.dbPassword());
        // The driver directly, not DriverManager: the command runs inside the console's class loader.
        try (Connection c = new org.postgresql.Driver().connect(settings.jdbcUrl(), p);
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace "
                     + "where n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_toast%' "
                     + "and n.nspname not like 'pg\\_temp%'")) {
            r.next();
            if (r.getLong(1) > 0) {
                throw new RecoveryException("the database " + settings.jdbcUrl() + " is not empty: a restore goes into an "
                        + "empty database (create a new one) and never mixes two consoles' data");
            }
        } catch (SQLException e) {
            throw new RecoveryException("cannot connect to the database " + settings.jdbcUrl() + ": " + e.getMessage());
        }
    }

    private static void requireEmptyDirectory(Path dir, String what) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw new RecoveryException("the " + what + " " + dir + " is not a directory");
        }
        try (Stream<Path> entries = Files.list(dir)) {
            if (entries.findAny().isPresent()) {
                throw new RecoveryException("the " + what + " " + dir + " is not empty: a restore fills an empty one");
            }
        }
    }

    /** Writes the dump to {@code dump} and the storage files to their directories (the archive was checked). */
    private void extract(Path archive, Path dump) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(archive), 1 << 16)) {
            TarReader tar = new TarReader(in);
            for (TarReader.Entry e = tar.next(); e != null; e = tar.next()) {
                if (!e.isFile()) {
                    continue;
                }
                if (e.name().equals(ArchiveLayout.DATABASE)) {
                    Files.copy(tar.content(), dump, StandardCopyOption.REPLACE_EXISTING);
                } else if (e.name().startsWith(ArchiveLayout.BACKUPS)) {
                    place(tar.content(), settings.backupsDir(), e.name().substring(ArchiveLayout.BACKUPS.length()), e);
                } else if (e.name().startsWith(ArchiveLayout.UPDATES)) {
                    place(tar.content(), settings.updatesDir(), e.name().substring(ArchiveLayout.UPDATES.length()), e);
                }
            }
        }
    }

    private static void place(InputStream content, Path root, String relative, TarReader.Entry e) throws IOException {
        Path target = root.resolve(relative).normalize();
        if (!target.startsWith(root.normalize())) {
            throw new RecoveryException("refusing to write outside " + root + ": " + e.name());
        }
        Files.createDirectories(target.getParent());
        Files.copy(content, target);
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r-----"));
        Files.setLastModifiedTime(target, java.nio.file.attribute.FileTime.from(java.time.Instant.ofEpochSecond(e.mtimeSeconds())));
    }

    private static void writeKey(Path file, byte[] key) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "master", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, Base64.getEncoder().encodeToString(key) + "\n", StandardOpenOption.TRUNCATE_EXISTING);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    }

    private static boolean sameKey(Path file, byte[] key) throws IOException {
        try {
            return java.security.MessageDigest.isEqual(Base64.getDecoder().decode(Files.readString(file).strip()), key);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
