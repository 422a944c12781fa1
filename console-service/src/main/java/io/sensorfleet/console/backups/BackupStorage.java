package io.sensorfleet.console.backups;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The storage directory. Every file in it has a name the console made from ids
 * ({@code <sensor id hex>/<backup id hex>.tar}, {@code .part} while uploading); nothing a sensor
 * sends ever becomes part of a path. The configuration is checked at start: a console with a
 * storage path it will not use refuses to start with the reason.
 */
@ApplicationScoped
public class BackupStorage {
    private static final Logger LOG = Logger.getLogger(BackupStorage.class);
    /** The characters allowed in the storage path: letters, digits, '/', '_' — no dots, so no '..'. */
    static final Pattern STORAGE_PATH = Pattern.compile("[A-Za-z0-9_/]+");

    private final BackupsConfig config;

    BackupStorage(BackupsConfig config) {
        this.config = config;
    }

    private Path root;

    void start(@Observes StartupEvent ev) {
        List<String> problems = validate(config);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("invalid backup configuration: " + String.join("; ", problems));
        }
        root = Path.of(config.storageDir()).toAbsolutePath().normalize();
        // Not created here: it is made with the first upload, and a share may be mounted after the start.
        if (Files.isDirectory(root) && Files.isWritable(root)) {
            LOG.infof("backups are stored in %s (keep %d per sensor)", root, config.keep());
        } else {
            LOG.warnf("backup storage %s does not exist yet or is not writable: it is created with the first upload "
                    + "if its parent allows; otherwise uploads fail as STORAGE_UNAVAILABLE", root);
        }
    }

    /** What is wrong with the configuration; empty when it is fine. */
    static List<String> validate(BackupsConfig c) {
        List<String> problems = new ArrayList<>();
        if (c.storageDir() == null || !STORAGE_PATH.matcher(c.storageDir()).matches()) {
            problems.add("sensorfleet.backups.storage-dir '" + c.storageDir() + "' may contain only / a-z A-Z 0-9 _");
        }
        if (c.keep() < 1 || c.keep() > 9) {
            problems.add("sensorfleet.backups.keep must be from 1 to 9, not " + c.keep());
        }
        if (c.allocationBytes() < 1) {
            problems.add("sensorfleet.backups.allocation-bytes must be positive");
        }
        if (c.maxParallelTransfers() < 1) {
            problems.add("sensorfleet.backups.max-parallel-transfers must be at least 1");
        }
        try {
            LocalTime.parse(c.schedule().time());
        } catch (DateTimeException e) {
            problems.add("sensorfleet.backups.schedule.time must be HH:mm, not '" + c.schedule().time() + "'");
        }
        try {
            ZoneId.of(c.schedule().timeZone());
        } catch (DateTimeException e) {
            problems.add("sensorfleet.backups.schedule.time-zone must be an IANA time zone, not '" + c.schedule().timeZone() + "'");
        }
        return problems;
    }

    public Path root() {
        return root;
    }

    /** The server-chosen name of a backup's file, relative to the storage directory. */
    static String storageName(UUID sensorId, UUID backupId) {
        return hex(sensorId) + "/" + hex(backupId) + ".tar";
    }

    /** The stored file; refuses anything that would resolve outside the storage directory. */
    public Path file(String storageName) {
        Path p = root.resolve(storageName).normalize();
        if (!p.startsWith(root) || p.equals(root)) {
            throw new IllegalArgumentException("not a storage name: " + storageName);
        }
        return p;
    }

    /** Where an upload's bytes go until they are checked. */
    public Path part(String storageName) {
        Path f = file(storageName);
        return f.resolveSibling(f.getFileName().toString().replace(".tar", ".part"));
    }

    /**
     * Creates an empty partial file (replacing any earlier one), readable by the console's user only
     * (0600, in 0700 directories): a backup holds the sensor's configuration. On storage without
     * POSIX permissions (a network share) the share's own rights apply.
     */
    Path createPart(String storageName) throws IOException {
        Path part = part(storageName);
        boolean posix = part.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (posix && !Files.isDirectory(part.getParent())) {
            Files.createDirectories(part.getParent(), java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(part.getParent());
        }
        Files.deleteIfExists(part);
        if (posix) {
            Files.createFile(part, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(part);
        }
        return part;
    }

    /**
     * An empty scratch file beside an upload's partial file (0600, like it), for a rewritten copy that
     * then replaces the partial file ({@link #replacePart}).
     */
    Path createScratch(String storageName) throws IOException {
        Path scratch = scratch(storageName);
        Files.deleteIfExists(scratch);
        if (scratch.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(scratch, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(scratch);
        }
        return scratch;
    }

    /** The rewritten copy takes the partial file's place. */
    void replacePart(String storageName) throws IOException {
        Files.move(scratch(storageName), part(storageName), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private Path scratch(String storageName) {
        Path f = file(storageName);
        return f.resolveSibling(f.getFileName().toString().replace(".tar", ".sealing"));
    }

    /**
     * Makes a checked upload the stored file, durably: its bytes are forced to disk before the
     * rename and the rename before the caller records it as stored, so a power cut cannot leave a
     * backup the database calls stored with missing bytes.
     */
    void commit(String storageName) throws IOException {
        Path part = part(storageName);
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(part, java.nio.file.StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Path stored = file(storageName);
        Files.move(part, stored, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (java.nio.channels.FileChannel dir = java.nio.channels.FileChannel.open(stored.getParent(),
                java.nio.file.StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // Some file systems (e.g. certain network shares) cannot sync a directory; the file itself is synced.
        }
    }

    /** Bytes still usable on the storage's file system; 0 when it cannot be read (e.g. a share not mounted). */
    long usableSpace() {
        Path p = root;
        while (p != null && !Files.exists(p)) {
            p = p.getParent(); // not created yet: the space is that of the file system it will be on
        }
        try {
            return p == null ? 0 : Files.getFileStore(p).getUsableSpace();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Deletes files (stored or partial) quietly: a leftover costs space, not correctness. */
    void delete(String storageName) {
        for (Path p : List.of(file(storageName), part(storageName), scratch(storageName))) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                LOG.warnf("could not delete %s: %s", p, e.getMessage());
            }
        }
    }

    private static String hex(UUID id) {
        return HexFormat.of().toHexDigits(id.getMostSignificantBits()) + HexFormat.of().toHexDigits(id.getLeastSignificantBits());
    }
}
