package io.sensorfleet.agent.backup;

import io.sensorfleet.lib.tar.TarWriter;
import io.sensorfleet.agent.AgentConfig;
import io.sensorfleet.agent.identity.StateDir;
import io.sensorfleet.agent.testing.MutableClock;
import io.sensorfleet.protocol.v1.backup.BackupFailureKind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RestorerTest {
    @TempDir
    Path state;
    @TempDir
    Path elsewhere;
    AgentConfig config;
    LocalBackup backup;

    @BeforeEach
    void backupThenChange() throws IOException {
        config = ConnectedSensor.connect(state, new MutableClock(Instant.parse("2026-03-01T02:00:00Z")));
        ConnectedSensor.write(state.resolve("config/time.conf"), "time.timeZone=\"Europe/Berlin\"\n");
        ConnectedSensor.write(state.resolve("data/assets.db"), "before");
        backup = new BackupTaker(config, new StateDir(state)).take();
        ConnectedSensor.write(state.resolve("config/time.conf"), "time.timeZone=\"Asia/Tokyo\"\n");
        ConnectedSensor.write(state.resolve("data/assets.db"), "after");
        ConnectedSensor.write(state.resolve("data/new-since-backup"), "x");
        ConnectedSensor.write(state.resolve("captures/later.pcap"), "captured after the backup");
        ConnectedSensor.write(state.resolve("logs/later.log"), "logged after the backup");
    }

    private Restorer restorer(AgentConfig c) {
        return new Restorer(c, new StateDir(state));
    }

    /** Every file under config/, data/, captures/ and logs/ with its content. */
    private Map<String, String> snapshot() throws IOException {
        Map<String, String> out = new TreeMap<>();
        for (String d : new String[]{"config", "data", "captures", "logs"}) {
            try (Stream<Path> walk = Files.walk(state.resolve(d))) {
                for (Path p : walk.filter(Files::isRegularFile).toList()) {
                    out.put(state.relativize(p).toString(), Files.readString(p));
                }
            }
        }
        return out;
    }

    @Test
    void restoreBringsBackConfigurationAndDataAndKeepsCapturesLogsAndIdentity() throws IOException {
        String identity = Files.readString(state.resolve("agent.json"));
        restorer(config).restore(backup.file(), null);
        assertTrue(Files.readString(state.resolve("config/time.conf")).contains("Europe/Berlin"));
        assertEquals("before", Files.readString(state.resolve("data/assets.db")));
        assertFalse(Files.exists(state.resolve("data/new-since-backup")), "data is replaced, not merged");
        assertEquals("captured after the backup", Files.readString(state.resolve("captures/later.pcap")));
        assertEquals("logged after the backup", Files.readString(state.resolve("logs/later.log")));
        assertEquals(identity, Files.readString(state.resolve("agent.json")));
        assertFalse(Files.exists(state.resolve("restore")), "no staging left behind");
    }

    @Test
    void restoreOfAnotherVersionIsRefusedNamingBothVersionsAndNothingChanges() throws IOException {
        Map<String, String> before = snapshot();
        BackupException e = assertThrows(BackupException.class,
                () -> restorer(config.withSoftwareVersion("10.0.1")).restore(backup.file(), null));
        assertEquals(BackupFailureKind.VERSION_MISMATCH, e.kind());
        assertTrue(e.getMessage().contains("9.9.9") && e.getMessage().contains("10.0.1"), e.getMessage());
        assertEquals(before, snapshot());
    }

    @Test
    void restoreRefusesABackupOfTheVersionTheDaemonStartedWithOnceAnUpdateRunsAnother() throws IOException {
        Restorer sameDaemon = restorer(config);
        BackupTakerTest.updateInPlaceTo(state, "10.0.0");
        Map<String, String> before = snapshot();

        BackupException e = assertThrows(BackupException.class, () -> sameDaemon.restore(backup.file(), null));

        assertEquals(BackupFailureKind.VERSION_MISMATCH, e.kind());
        assertTrue(e.getMessage().contains("runs version 10.0.0"), e.getMessage());
        assertEquals(before, snapshot());
    }

    @Test
    void aDamagedFileIsRefusedByItsChecksumBeforeAnythingChanges() throws IOException {
        Map<String, String> before = snapshot();
        try (FileChannel ch = FileChannel.open(backup.file(), StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[]{'!'}), 2000);
        }
        BackupException e = assertThrows(BackupException.class, () -> restorer(config).restore(backup.file(), null));
        assertEquals(BackupFailureKind.CHECKSUM_MISMATCH, e.kind());
        assertEquals(before, snapshot());
    }

    @Test
    void aFailureDuringTheSwapLeavesThePreviousConfigurationAndData() throws IOException {
        Map<String, String> before = snapshot();
        Restorer r = restorer(config);
        r.swapStep(dir -> {
            if (dir.equals("data")) {
                throw new IOException("disk pulled");
            }
        });
        BackupException e = assertThrows(BackupException.class, () -> r.restore(backup.file(), null));
        assertTrue(e.getMessage().contains("disk pulled") && e.getMessage().contains("previous configuration"), e.getMessage());
        assertEquals(before, snapshot());
        assertFalse(Files.exists(state.resolve("restore")));
    }

    @Test
    void aSwapInterruptedByACrashIsFinishedOnTheNextStart() throws IOException {
        Restorer crashing = restorer(config);
        crashing.swapStep(dir -> {
            if (dir.equals("data")) {
                throw new Error("power cut"); // not handled: like a crash, the marker stays
            }
        });
        assertThrows(Error.class, () -> crashing.restore(backup.file(), null));
        assertTrue(Files.exists(state.resolve("restore/COMMIT")));
        restorer(config).recover();
        assertTrue(Files.readString(state.resolve("config/time.conf")).contains("Europe/Berlin"));
        assertEquals("before", Files.readString(state.resolve("data/assets.db")));
        assertFalse(Files.exists(state.resolve("restore")));
    }

    @Test
    void archiveEntriesThatEscapeTheStateDirectoryAreRefusedBeforeAnythingChanges() throws IOException {
        for (String evil : new String[]{"config/../../escaped", "/etc/evil", "logs/replaced.log", "data/./x"}) {
            Map<String, String> before = snapshot();
            Path tar = elsewhere.resolve("evil.tar");
            try (TarWriter w = new TarWriter(FileChannel.open(tar, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE))) {
                w.file(BackupManifest.ENTRY, ("{\"format\":1,\"softwareVersion\":\"9.9.9\"}").getBytes(StandardCharsets.UTF_8), 0);
                w.file(evil, "pwned".getBytes(StandardCharsets.UTF_8), 0);
                w.finish();
            }
            BackupException e = assertThrows(BackupException.class, () -> restorer(config).restore(tar, null), evil);
            assertTrue(e.getMessage().contains("nothing was restored"), e.getMessage());
            assertEquals(before, snapshot(), evil);
            assertFalse(Files.exists(state.getParent().resolve("escaped")));
        }
    }

    @Test
    void aFileThatIsNotABackupIsRefused() throws IOException {
        Path notes = elsewhere.resolve("notes.tar");
        Files.writeString(notes, "not a tar at all");
        BackupException e = assertThrows(BackupException.class, () -> restorer(config).restore(notes, null));
        assertTrue(e.getMessage().contains("not a SensorFleet backup"), e.getMessage());
    }
}
