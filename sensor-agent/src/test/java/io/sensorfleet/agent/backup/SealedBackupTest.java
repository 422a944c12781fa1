package io.sensorfleet.agent.backup;

import io.sensorfleet.agent.AgentConfig;
import io.sensorfleet.agent.identity.StateDir;
import io.sensorfleet.agent.settings.SettingsStore;
import io.sensorfleet.agent.testing.MutableClock;
import io.sensorfleet.lib.backup.SealedSecrets;
import io.sensorfleet.lib.backup.SecretsInArchive;
import io.sensorfleet.protocol.v1.backup.SealingKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SealedBackupTest {
    private static final String PASSWORD = "Pr0xy-Passw0rd-in-the-backup";
    @TempDir
    Path state;
    AgentConfig config;
    final KeyPair console = SealedSecrets.generate();

    @BeforeEach
    void sensorWithAProxyPassword() throws IOException {
        config = ConnectedSensor.connect(state, new MutableClock(Instant.parse("2026-03-01T02:00:00Z")));
        new SettingsStore(state).apply(3, Map.of("network.proxy", "proxy.example:3128", "network.proxyPassword", PASSWORD));
    }

    private SealingKey key(KeyPair pair) {
        return new SealingKey(SealedSecrets.keyId(pair.getPublic()), SealedSecrets.ALGORITHM,
                SealedSecrets.encode(pair.getPublic()));
    }

    private LocalBackup take() {
        return new BackupTaker(config, new StateDir(state)).take();
    }

    @Test
    void withTheConsolesKeyTheSecretsLeaveTheSensorOnlySealed() throws Exception {
        new SealingKeyFile(state).remember(key(console));
        LocalBackup b = take();

        String raw = new String(Files.readAllBytes(b.file()), StandardCharsets.ISO_8859_1);
        assertFalse(raw.contains(PASSWORD), "no clear password anywhere in the archive");
        assertTrue(raw.contains("proxy.example:3128"), "other settings stay readable");
        SecretsInArchive.Found found = SecretsInArchive.find(b.file());
        assertEquals(SecretsInArchive.Kind.SEALED, found.kind());
        String opened = new String(SealedSecrets.open(console.getPrivate(), console.getPublic(), found.content(),
                SealedSecrets.SEALED_ENTRY), StandardCharsets.UTF_8);
        assertTrue(opened.contains(PASSWORD), opened);
        assertEquals(b.sha256(), LocalBackups.sha256(b.file()), "the checksum covers the archive as written");
    }

    @Test
    void aKeyWhoseIdDoesNotMatchIsNotKeptAndSecretsStayLocalInClear() throws Exception {
        SealingKey forged = new SealingKey("0000000000000000", SealedSecrets.ALGORITHM, SealedSecrets.encode(console.getPublic()));
        new SealingKeyFile(state).remember(forged);
        assertTrue(new SealingKeyFile(state).read().isEmpty());
        assertEquals(SecretsInArchive.Kind.CLEAR, SecretsInArchive.find(take().file()).kind());
    }

    @Test
    void restoreFromTheConsoleWritesTheSecretsItSentBackWithMode0600() throws Exception {
        new SealingKeyFile(state).remember(key(console));
        LocalBackup b = take();
        Path secrets = state.resolve("config/secrets.conf");
        String fromBackup = new String(SealedSecrets.open(console.getPrivate(), console.getPublic(),
                SecretsInArchive.find(b.file()).content(), SealedSecrets.SEALED_ENTRY), StandardCharsets.UTF_8);
        new SettingsStore(state).apply(4, Map.of("network.proxyPassword", "changed-after-the-backup"));

        new Restorer(config, new StateDir(state)).restore(b.file(), b.sha256(), fromBackup.getBytes(StandardCharsets.UTF_8));

        assertTrue(Files.readString(secrets).contains(PASSWORD), Files.readString(secrets));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secrets)));
        assertFalse(Files.exists(state.resolve(SealedSecrets.SEALED_ENTRY)), "the sealed entry is never unpacked");
    }

    @Test
    void restoreOnTheSensorItselfKeepsTheCurrentSecretsItCannotOpen() throws Exception {
        new SealingKeyFile(state).remember(key(console));
        LocalBackup b = take();
        new SettingsStore(state).apply(4, Map.of("network.proxyPassword", "current-password"));

        new Restorer(config, new StateDir(state)).restore(b.file(), null);

        Path secrets = state.resolve("config/secrets.conf");
        assertTrue(Files.readString(secrets).contains("current-password"), Files.readString(secrets));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secrets)));
        assertFalse(Files.exists(state.resolve(SealedSecrets.SEALED_ENTRY)));
    }
}
