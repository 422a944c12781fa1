package io.sensorfleet.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SessionStoreTest {
    @TempDir
    Path tmp;

    private final Session session = new Session(URI.create("https://console.example:8443/"), "admin", "tok.en",
            Instant.parse("2026-12-04T18:00:00Z"), Path.of("/etc/sensorfleet/ca.pem"));

    @Test
    void tokenFileIsOwnerOnlyInAnOwnerOnlyDirectory() throws Exception {
        SessionStore store = new SessionStore(tmp.resolve("sensorfleet"));
        store.save(session);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file())));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file().getParent())));
        assertEquals(session, store.load().orElseThrow());
    }

    @Test
    void aSecondLoginReplacesTheFileAndKeepsItOwnerOnly() throws Exception {
        SessionStore store = new SessionStore(tmp.resolve("sensorfleet"));
        store.save(session);
        Files.setPosixFilePermissions(store.file(), PosixFilePermissions.fromString("rw-r--r--"));
        store.save(session);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file())));
        assertFalse(Files.exists(store.file().resolveSibling("session.json.tmp")));
    }

    @Test
    void locationFollowsXdgConfigHomeElseHomeConfig() {
        assertEquals(Path.of("/x/sensorfleet/session.json"),
                SessionStore.fromEnvironment(Map.of("XDG_CONFIG_HOME", "/x", "HOME", "/h")).file());
        assertEquals(Path.of("/h/.config/sensorfleet/session.json"),
                SessionStore.fromEnvironment(Map.of("XDG_CONFIG_HOME", "relative", "HOME", "/h")).file());
        assertEquals(Path.of("/h/.config/sensorfleet/session.json"), SessionStore.fromEnvironment(Map.of("HOME", "/h")).file());
    }

    @Test
    void logoutRemovesTheFile() throws Exception {
        SessionStore store = new SessionStore(tmp.resolve("sensorfleet"));
        store.save(session);
        assertTrue(store.delete());
        assertFalse(store.delete());
        assertTrue(store.load().isEmpty());
    }

    @Test
    void aDamagedFileIsNotLoggedIn() throws Exception {
        SessionStore store = new SessionStore(tmp.resolve("sensorfleet"));
        Files.createDirectories(store.file().getParent());
        Files.writeString(store.file(), "{not json");
        assertEquals(4, assertThrows(CliException.class, store::load).exitCode());
    }

    @Test
    void expiryIsComparedWithTheGivenTime() {
        assertFalse(session.expiredAt(Instant.parse("2026-12-04T17:59:59Z")));
        assertTrue(session.expiredAt(Instant.parse("2026-12-04T18:00:00Z")));
    }
}
