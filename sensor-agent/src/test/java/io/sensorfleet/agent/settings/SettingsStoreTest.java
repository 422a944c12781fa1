package io.sensorfleet.agent.settings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingsStoreTest {
    @TempDir
    Path stateDir;

    private static final Map<String, Object> VALUES = Map.of("time.timeZone", "Europe/Berlin",
            "backup.retention", 3, "network.dnsServers", List.of("10.0.0.53"), "network.proxyPassword", "s3cret");

    @Test
    void writesOneFilePerCategoryAndKeepsSecretsApartAndPrivate() throws IOException {
        SettingsStore store = new SettingsStore(stateDir);
        store.apply(7, VALUES);
        assertTrue(Files.readString(stateDir.resolve("config/time.conf")).contains("time.timeZone=\"Europe/Berlin\""));
        assertTrue(Files.readString(stateDir.resolve("config/backup.conf")).contains("backup.retention=3"));
        Path secrets = stateDir.resolve("config/secrets.conf");
        assertTrue(Files.readString(secrets).contains("s3cret"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secrets)));
        assertFalse(Files.readString(stateDir.resolve("config/applied.json")).contains("s3cret"));
        assertEquals(7, store.applied().revision());
        assertEquals(List.of(), store.drift());
    }

    @Test
    void localEditsAreReportedAsDriftAndUndoingThemClearsIt() throws IOException {
        SettingsStore store = new SettingsStore(stateDir);
        store.apply(3, VALUES);
        Path time = stateDir.resolve("config/time.conf");
        String original = Files.readString(time);
        Files.writeString(time, original.replace("Europe/Berlin", "Asia/Tokyo"));
        assertEquals(List.of("time.timeZone"), store.drift());
        Files.delete(stateDir.resolve("config/backup.conf"));
        assertEquals(List.of("backup.retention", "time.timeZone"), store.drift());
        store.apply(4, VALUES);
        assertEquals(List.of(), store.drift());
    }

    @Test
    void aConfigurationPathThatCannotBeWrittenFails() throws IOException {
        // Running as root, permissions do not stop writes: a file where the directory should be does.
        Files.writeString(stateDir.resolve("config"), "not a directory");
        SettingsStore store = new SettingsStore(stateDir);
        assertThrows(IOException.class, () -> store.apply(1, VALUES));
        assertEquals(-1, store.applied().revision());
    }
}
