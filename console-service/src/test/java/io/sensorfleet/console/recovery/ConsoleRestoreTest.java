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
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a restore refuses before it touches the database: the database here is unreachable, so
 * every refusal must come earlier, and the one that gets furthest fails at the connection.
 */
class ConsoleRestoreTest {
    private static final byte[] KEY = new byte[32];
    private static final char[] PASSPHRASE = "a long enough passphrase".toCharArray();
    private final Path dir;
    private final Path archive;

    ConsoleRestoreTest() throws IOException {
        dir = Files.createTempDirectory("console-restore-");
        KEY[0] = 7;
        archive = dir.resolve("backup.tar");
        byte[] escrow = MasterKeyEscrow.seal(KEY, PASSPHRASE);
        byte[] dump = "dump".getBytes(StandardCharsets.UTF_8);
        String manifest = "{\"format\":1,\"createdAt\":\"2026-12-04T00:00:00Z\",\"files\":{"
                + "\"" + ArchiveLayout.ESCROW + "\":{\"size\":" + escrow.length + ",\"sha256\":\"" + ConsoleBackup.sha256(escrow) + "\"},"
                + "\"" + ArchiveLayout.DATABASE + "\":{\"size\":4,\"sha256\":\"" + ConsoleBackup.sha256(dump) + "\"}}}";
        try (TarWriter tar = new TarWriter(FileChannel.open(archive, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))) {
            tar.file(ArchiveLayout.ESCROW, escrow, 0);
            tar.file(ArchiveLayout.DATABASE, dump, 0);
            tar.file(ArchiveLayout.MANIFEST, manifest.getBytes(StandardCharsets.UTF_8), 0);
            tar.finish();
        }
    }

    @AfterEach
    void clean() throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private RecoveryException restore(Map<String, String> extra, Optional<Path> keyOut) {
        Map<String, String> config = new HashMap<>(Map.of(
                RecoverySettings.JDBC_URL, "jdbc:postgresql://127.0.0.1:1/none",
                RecoverySettings.DATA_DIR, dir.resolve("data").toString(),
                RecoverySettings.BACKUPS_DIR, dir.resolve("backups").toString(),
                RecoverySettings.UPDATES_DIR, dir.resolve("updates").toString()));
        config.putAll(extra);
        ConsoleRestore restore = new ConsoleRestore(RecoverySettings.from(config::get),
                new PgTools(Path.of("/nonexistent"), Map.of(), "none"));
        return assertThrows(RecoveryException.class, () -> restore.restore(archive, PASSPHRASE, keyOut));
    }

    @Test
    void restoreRefusesAConfiguredMasterKeyThatIsNotTheArchives() {
        RecoveryException e = restore(Map.of(RecoverySettings.MASTER_KEY, Base64.getEncoder().encodeToString(new byte[32])),
                Optional.empty());
        assertTrue(e.getMessage().contains("another master key"), e.getMessage());
    }

    @Test
    void restoreNeverOverwritesAKeyFile() throws IOException {
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data/master.key"), Base64.getEncoder().encodeToString(new byte[32]) + "\n");
        RecoveryException e = restore(Map.of(), Optional.empty());
        assertTrue(e.getMessage().contains("never overwrites a master key"), e.getMessage());

        Path out = Files.writeString(dir.resolve("out.key"), "x");
        e = restore(Map.of(), Optional.of(out));
        assertTrue(e.getMessage().contains("never overwrites a master key"), e.getMessage());
        assertEquals("x", Files.readString(out));
    }

    @Test
    void restoreRefusesStorageThatIsNotEmpty() throws IOException {
        Files.createDirectories(dir.resolve("updates/p1"));
        RecoveryException e = restore(Map.of(), Optional.empty());
        assertTrue(e.getMessage().contains("package storage") && e.getMessage().contains("not empty"), e.getMessage());
    }

    @Test
    void withEverythingElseInOrderTheDatabaseIsCheckedAndNothingIsWrittenWhenItIsUnreachable() {
        RecoveryException e = restore(Map.of(), Optional.empty());
        assertTrue(e.getMessage().contains("cannot connect to the database"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("data/master.key")), "no key written by a refused restore");
    }
}
