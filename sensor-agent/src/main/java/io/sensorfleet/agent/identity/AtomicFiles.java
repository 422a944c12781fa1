package io.sensorfleet.agent.identity;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Writes files in one directory so that a crash never leaves a half-written file, and a set of
 * files (key + certificate + identity) so that a crash leaves either all the old ones or all the
 * new ones: a key that does not match its certificate would lock the sensor out of the console.
 * <p>
 * A set is first written as {@code <name>.next} files; writing {@value #PENDING} (listing the
 * names) is the commit point; then each file is moved into place and the marker removed. Whoever
 * finds the marker later finishes the moves; staged files without a marker are discarded.
 */
final class AtomicFiles {
    static final String PENDING = "commit.pending";
    static final String STAGED = ".next";
    private static final String LOCK = ".lock";
    private static final String TEMP_SUFFIX = ".tmp";
    private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> SECRET = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");

    /** What to write and whether only the owner may read it. */
    record Content(byte[] bytes, boolean secret) {
        static Content secret(String text) {
            return new Content(text.getBytes(StandardCharsets.UTF_8), true);
        }

        static Content open(byte[] bytes) {
            return new Content(bytes, false);
        }
    }

    interface Action<T> {
        T run() throws Exception;
    }

    private final Path dir;
    private final boolean posix;

    AtomicFiles(Path dir) {
        this.dir = dir;
        this.posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    boolean directoryExists() {
        return Files.isDirectory(dir);
    }

    /**
     * Runs {@code action} holding an exclusive lock on the directory, so that {@code connect} and a
     * running daemon never interleave their commits. The lock is per process (fcntl); within one
     * JVM, callers share one {@link StateDir} per directory, which synchronises.
     */
    <T> T locked(Action<T> action) throws Exception {
        ensureDirectory();
        try (FileChannel channel = FileChannel.open(dir.resolve(LOCK),
                Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), attributes(SECRET));
             FileLock ignored = channel.lock()) {
            return action.run();
        }
    }

    Optional<byte[]> read(String name) throws IOException {
        Path file = dir.resolve(name);
        return Files.exists(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
    }

    /** Replaces one file; {@code durable} forces it to disk (skipped for frequently rewritten status). */
    void write(String name, Content content, boolean durable) throws IOException {
        ensureDirectory();
        writeFile(dir.resolve(name), content, durable);
    }

    /** Replaces several files as one, in the map's iteration order. */
    void commit(Map<String, Content> files) throws IOException {
        ensureDirectory();
        for (Map.Entry<String, Content> file : files.entrySet()) {
            writeFile(dir.resolve(file.getKey() + STAGED), file.getValue(), true);
        }
        String names = String.join("\n", files.keySet());
        writeFile(dir.resolve(PENDING), Content.open(names.getBytes(StandardCharsets.UTF_8)), true);
        finish(List.copyOf(files.keySet()));
    }

    /** Finishes a commit interrupted after its commit point, or discards one interrupted before. */
    void recover() throws IOException {
        Path pending = dir.resolve(PENDING);
        if (Files.exists(pending)) {
            finish(Files.readAllLines(pending, StandardCharsets.UTF_8).stream().filter(n -> !n.isBlank()).toList());
            return;
        }
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(dir,
                p -> p.getFileName().toString().endsWith(STAGED) || isTempFile(p))) {
            for (Path leftover : leftovers) {
                Files.deleteIfExists(leftover);
            }
        }
    }

    private void finish(List<String> names) throws IOException {
        for (String name : names) {
            Path staged = dir.resolve(name + STAGED);
            if (Files.exists(staged)) {
                Files.move(staged, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            }
        }
        syncDirectory();
        Files.deleteIfExists(dir.resolve(PENDING));
        syncDirectory();
    }

    private void writeFile(Path target, Content content, boolean durable) throws IOException {
        // The temp file gets its final permissions at creation: a key is never readable by others, not even briefly.
        Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", TEMP_SUFFIX,
                attributes(content.secret() ? SECRET : PUBLIC));
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(content.bytes());
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                if (durable) {
                    channel.force(true);
                }
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
        if (durable) {
            syncDirectory();
        }
    }

    private void ensureDirectory() throws IOException {
        if (!Files.isDirectory(dir)) {
            // Permissions only on a directory we create: tightening an existing one (say /tmp) would break others.
            Files.createDirectories(dir, attributes(DIR));
        }
    }

    private void syncDirectory() {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Not every file system lets a directory be synced; the rename is still atomic.
        }
    }

    private static boolean isTempFile(Path path) {
        String name = path.getFileName().toString();
        return name.startsWith(".") && name.endsWith(TEMP_SUFFIX);
    }

    private FileAttribute<?>[] attributes(Set<PosixFilePermission> permissions) {
        return posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)}
                : new FileAttribute<?>[0];
    }
}
