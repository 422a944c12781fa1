package io.sensorfleet.console.recovery;

import io.sensorfleet.lib.tar.TarWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Archives written by hand, to check what a restore refuses before it changes anything. */
class ArchiveCheckTest {
    private static final byte[] KEY = new byte[32];
    private static final char[] PASSPHRASE = "a long enough passphrase".toCharArray();
    private final Path dir = tempDir();

    @AfterEach
    void clean() throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("archive-check-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An archive with these files (after the escrow) and a manifest listing {@code listed}. */
    private Path archive(Map<String, byte[]> files, Map<String, byte[]> listed) throws IOException {
        Path a = dir.resolve("a" + System.nanoTime() + ".tar");
        byte[] escrow = MasterKeyEscrow.seal(KEY, PASSPHRASE);
        StringBuilder manifest = new StringBuilder("{\"format\":1,\"createdAt\":\"2026-12-04T00:00:00Z\",\"files\":{");
        manifest.append(entry(ArchiveLayout.ESCROW, escrow));
        listed.forEach((n, b) -> manifest.append(',').append(entry(n, b)));
        manifest.append("}}");
        try (TarWriter tar = new TarWriter(FileChannel.open(a, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))) {
            tar.file(ArchiveLayout.ESCROW, escrow, 0);
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                tar.file(f.getKey(), f.getValue(), 0);
            }
            tar.file(ArchiveLayout.MANIFEST, manifest.toString().getBytes(StandardCharsets.UTF_8), 0);
            tar.finish();
        }
        return a;
    }

    private static String entry(String name, byte[] b) {
        return "\"" + name + "\":{\"size\":" + b.length + ",\"sha256\":\"" + ConsoleBackup.sha256(b) + "\"}";
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aCompleteArchiveIsAcceptedAndCounted() throws IOException {
        Map<String, byte[]> files = new java.util.LinkedHashMap<>();
        files.put(ArchiveLayout.DATABASE, b("dump"));
        files.put("storage/backups/s1/b.tar.gz", b("backup"));
        files.put("storage/updates/p1/p.pkg", b("package"));
        ArchiveCheck.Checked c = ArchiveCheck.check(archive(files, files), PASSPHRASE);
        assertArrayEquals(KEY, c.masterKey());
        assertEquals(1, c.backupFiles());
        assertEquals(1, c.updateFiles());
    }

    @Test
    void aPathTrickIsRefused() throws IOException {
        Map<String, byte[]> files = Map.of(ArchiveLayout.DATABASE, b("dump"), "storage/backups/../../etc/cron.d/x", b("evil"));
        RecoveryException e = assertThrows(RecoveryException.class, () -> ArchiveCheck.check(archive(files, files), PASSPHRASE));
        assertTrue(e.getMessage().contains("never writes"), e.getMessage());
    }

    @Test
    void aFileChangedAfterTheBackupIsRefused() throws IOException {
        Map<String, byte[]> listed = Map.of(ArchiveLayout.DATABASE, b("dump"));
        Map<String, byte[]> actual = Map.of(ArchiveLayout.DATABASE, b("dumq"));
        RecoveryException e = assertThrows(RecoveryException.class, () -> ArchiveCheck.check(archive(actual, listed), PASSPHRASE));
        assertTrue(e.getMessage().contains("differs from its manifest"), e.getMessage());
    }

    @Test
    void aFileTheManifestDoesNotListIsRefused() throws IOException {
        Map<String, byte[]> files = Map.of(ArchiveLayout.DATABASE, b("dump"), "storage/updates/p/x.pkg", b("x"));
        RecoveryException e = assertThrows(RecoveryException.class,
                () -> ArchiveCheck.check(archive(files, Map.of(ArchiveLayout.DATABASE, b("dump"))), PASSPHRASE));
        assertTrue(e.getMessage().contains("does not list"), e.getMessage());
    }

    @Test
    void aTruncatedArchiveIsRefused() throws IOException {
        Map<String, byte[]> files = Map.of(ArchiveLayout.DATABASE, new byte[5000]);
        Path a = archive(files, files);
        try (FileChannel c = FileChannel.open(a, StandardOpenOption.WRITE)) {
            c.truncate(2048);
        }
        assertThrows(RecoveryException.class, () -> ArchiveCheck.check(a, PASSPHRASE));
    }

    @Test
    void aWrongPassphraseIsRefused() throws IOException {
        Map<String, byte[]> files = Map.of(ArchiveLayout.DATABASE, b("dump"));
        Path a = archive(files, files);
        assertThrows(RecoveryException.class, () -> ArchiveCheck.check(a, "another long passphrase".toCharArray()));
    }
}
