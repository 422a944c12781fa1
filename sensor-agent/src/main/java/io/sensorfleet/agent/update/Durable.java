package io.sensorfleet.agent.update;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes that survive a power cut in a known state: content is flushed to disk before the rename
 * that publishes it, and the directory after, so after a crash a file is either the old one or the
 * whole new one, and a version directory is complete before {@code current} can name it.
 */
final class Durable {
    private Durable() {
    }

    /** Replaces {@code target} with {@code content} in one rename. */
    static void write(Path target, byte[] content) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        Files.write(tmp, content);
        sync(tmp);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        sync(target.getParent());
    }

    /** Flushes a file or a directory (its entries) to disk. */
    static void sync(Path path) throws IOException {
        try (FileChannel c = FileChannel.open(path, StandardOpenOption.READ)) {
            c.force(true);
        }
    }

    /** Flushes every file and directory under {@code root}, deepest first. */
    static void syncTree(Path root) throws IOException {
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                sync(p);
            }
        }
    }
}
