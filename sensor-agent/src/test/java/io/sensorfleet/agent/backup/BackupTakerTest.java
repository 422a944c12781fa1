package io.sensorfleet.agent.backup;

import io.sensorfleet.lib.tar.TarReader;
import io.sensorfleet.agent.AgentConfig;
import io.sensorfleet.agent.identity.StateDir;
import io.sensorfleet.agent.settings.SettingsStore;
import io.sensorfleet.agent.testing.MutableClock;
import io.sensorfleet.lib.backup.BackupNames;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackupTakerTest {
    @TempDir
    Path state;
    final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T02:00:00Z"));
    AgentConfig config;
    BackupTaker taker;

    @BeforeEach
    void connect() throws IOException {
        config = ConnectedSensor.connect(state, clock);
        new SettingsStore(state).apply(1, Map.of("time.timeZone", "Europe/Berlin", "backup.retention", 2));
        ConnectedSensor.write(state.resolve("data/assets.db"), "asset inventory");
        ConnectedSensor.write(state.resolve("data/sub/learned.json"), "{\"baseline\":true}");
        ConnectedSensor.write(state.resolve("captures/now.pcap"), "packets");
        ConnectedSensor.write(state.resolve("logs/agent.log"), "log lines");
        taker = new BackupTaker(config, new StateDir(state));
    }

    static Map<String, String> entries(Path tar) throws IOException {
        Map<String, String> out = new HashMap<>();
        try (InputStream in = Files.newInputStream(tar)) {
            TarReader r = new TarReader(in);
            for (TarReader.Entry e = r.next(); e != null; e = r.next()) {
                out.put(e.name(), e.isFile() ? new String(r.content().readAllBytes(), StandardCharsets.UTF_8) : "(dir)");
            }
        }
        return out;
    }

    @Test
    void backupHoldsConfigurationAndDataButNeitherCapturesNorLogs() throws IOException {
        LocalBackup b = taker.take();
        Map<String, String> e = entries(b.file());
        assertEquals("asset inventory", e.get("data/assets.db"));
        assertEquals("{\"baseline\":true}", e.get("data/sub/learned.json"));
        assertTrue(e.get("config/time.conf").contains("Europe/Berlin"));
        assertTrue(e.get(BackupManifest.ENTRY).contains("\"softwareVersion\" : \"9.9.9\""));
        assertTrue(e.keySet().stream().noneMatch(n -> n.startsWith("captures") || n.startsWith("logs")), e.keySet().toString());
        assertTrue(e.keySet().stream().noneMatch(n -> n.contains("sensor.key") || n.contains("agent.json")),
                "identity is never in a backup: " + e.keySet());
    }

    @Test
    void fileIsNamedAsInTheSeedInTheSensorsTimeZoneWithItsChecksumBeside() throws IOException {
        LocalBackup b = taker.take();
        String sensorName = new StateDir(state).requireIdentity().sensorName();
        // 02:00 UTC is 03:00 in Berlin (CET)
        assertEquals(BackupNames.sensorPart(sensorName) + "-backup-version-9.9.9-2026-03-01_03:00:00.tar", b.fileName());
        assertEquals(state.resolve("backups"), b.file().getParent());
        String sumLine = Files.readString(state.resolve("backups/" + b.fileName() + ".sha256"));
        assertEquals(b.sha256() + "  " + b.fileName() + "\n", sumLine);
        assertEquals(LocalBackups.sha256(b.file()), b.sha256());
    }

    @Test
    void onlyTheConfiguredNumberOfLocalBackupsIsKept() throws IOException {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            names.add(taker.take().fileName());
            clock.advance(Duration.ofHours(1));
        }
        List<String> kept = taker.local().list().stream().map(LocalBackup::fileName).toList();
        assertEquals(List.of(names.get(3), names.get(2)), kept);
        try (var files = Files.list(state.resolve("backups"))) {
            assertEquals(4, files.filter(p -> !p.getFileName().toString().startsWith(".")).count(), "2 archives + 2 checksums");
        }
    }

    @Test
    void aBackupAfterAnInPlaceUpdateCarriesTheVersionRunningNowInItsNameAndManifest() throws IOException {
        String before = taker.take().fileName();
        clock.advance(Duration.ofHours(1));
        updateInPlaceTo(state, "10.0.0");

        LocalBackup after = taker.take();

        assertTrue(before.contains("-backup-version-9.9.9-"), before);
        assertTrue(after.fileName().contains("-backup-version-10.0.0-"), after.fileName());
        assertEquals("10.0.0", after.softwareVersion());
        assertTrue(entries(after.file()).get(BackupManifest.ENTRY).contains("\"softwareVersion\" : \"10.0.0\""));
    }

    /** What an update leaves behind while the daemon keeps running: versions/current names the new version. */
    static void updateInPlaceTo(Path state, String version) throws IOException {
        Path versions = Files.createDirectories(state.resolve("versions"));
        Files.createDirectories(versions.resolve(version));
        Files.deleteIfExists(versions.resolve("current"));
        Files.createSymbolicLink(versions.resolve("current"), Path.of(version));
    }

    @Test
    void twoBackupsWithinOneSecondGetDistinctNames() {
        String first = taker.take().fileName();
        String second = taker.take().fileName();
        assertTrue(second.endsWith("03:00:01.tar"), second);
        assertTrue(first.endsWith("03:00:00.tar"), first);
    }

    @Test
    void aFileChangingWhileReadIsReadAgainSoTheArchiveHoldsOneConsistentVersion() throws IOException {
        Path db = state.resolve("data/assets.db");
        AtomicInteger reads = new AtomicInteger();
        taker.afterRead(p -> {
            if (p.equals(db) && reads.incrementAndGet() == 1) {
                try {
                    Files.writeString(db, "asset inventory, written during the backup");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        });
        LocalBackup b = taker.take();
        assertEquals(2, reads.get());
        assertEquals("asset inventory, written during the backup", entries(b.file()).get("data/assets.db"));
        assertEquals(LocalBackups.sha256(b.file()), b.sha256(), "the checksum covers the archive as written");
    }

    @Test
    void aFileThatNeverStopsChangingFailsTheBackupWithItsName() {
        Path db = state.resolve("data/assets.db");
        AtomicInteger n = new AtomicInteger();
        taker.afterRead(p -> {
            if (p.equals(db)) {
                try {
                    Files.writeString(db, "version " + n.incrementAndGet());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        });
        BackupException e = assertThrows(BackupException.class, taker::take);
        assertTrue(e.getMessage().contains("data/assets.db kept changing"), e.getMessage());
        assertTrue(taker.local().list().isEmpty(), "no half-written backup is left");
    }
}
