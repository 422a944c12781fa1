package io.sensorfleet.lib.backup;

import io.sensorfleet.lib.tar.TarWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyPair;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SealedSecretsTest {
    private static final byte[] SECRETS = "network.proxyPassword=\"Tr0ub4dor&3-proxy\"\n".getBytes(StandardCharsets.UTF_8);
    private final KeyPair console = SealedSecrets.generate();

    @Test
    void sealedSecretsOpenWithTheRecipientKeyAndHoldNothingInClear() throws Exception {
        byte[] sealed = SealedSecrets.seal(console.getPublic(), SECRETS, SealedSecrets.SEALED_ENTRY);
        assertFalse(new String(sealed, StandardCharsets.US_ASCII).contains("Tr0ub4dor"));
        assertEquals(SealedSecrets.keyId(console.getPublic()), SealedSecrets.keyIdOf(sealed));
        assertArrayEquals(SECRETS, SealedSecrets.open(console.getPrivate(), console.getPublic(), sealed,
                SealedSecrets.SEALED_ENTRY));
        assertNotEquals(new String(sealed), new String(SealedSecrets.seal(console.getPublic(), SECRETS,
                SealedSecrets.SEALED_ENTRY)), "a fresh ephemeral key and nonce each time");
    }

    @Test
    void openingWithAnotherKeyIsRefusedNamingBothKeys() {
        byte[] sealed = SealedSecrets.seal(console.getPublic(), SECRETS, SealedSecrets.SEALED_ENTRY);
        KeyPair other = SealedSecrets.generate();
        var e = assertThrows(SealedSecrets.RefusedException.class,
                () -> SealedSecrets.open(other.getPrivate(), other.getPublic(), sealed, SealedSecrets.SEALED_ENTRY));
        assertTrue(e.getMessage().contains(SealedSecrets.keyId(console.getPublic()))
                && e.getMessage().contains(SealedSecrets.keyId(other.getPublic())), e.getMessage());
    }

    @Test
    void tamperedCiphertextIsRefusedAsAltered() {
        String sealed = new String(SealedSecrets.seal(console.getPublic(), SECRETS, SealedSecrets.SEALED_ENTRY),
                StandardCharsets.US_ASCII);
        int at = sealed.indexOf("ciphertext: ") + "ciphertext: ".length() + 3;
        char flipped = sealed.charAt(at) == 'A' ? 'B' : 'A';
        byte[] tampered = (sealed.substring(0, at) + flipped + sealed.substring(at + 1)).getBytes(StandardCharsets.US_ASCII);
        var e = assertThrows(SealedSecrets.RefusedException.class,
                () -> SealedSecrets.open(console.getPrivate(), console.getPublic(), tampered, SealedSecrets.SEALED_ENTRY));
        assertTrue(e.getMessage().contains("altered"), e.getMessage());
    }

    @Test
    void aSealedFileMovedToAnotherEntryOrGarbageIsRefused() {
        byte[] sealed = SealedSecrets.seal(console.getPublic(), SECRETS, SealedSecrets.SEALED_ENTRY);
        assertThrows(SealedSecrets.RefusedException.class,
                () -> SealedSecrets.open(console.getPrivate(), console.getPublic(), sealed, "config/other.sealed"));
        var e = assertThrows(SealedSecrets.RefusedException.class, () -> SealedSecrets.open(console.getPrivate(),
                console.getPublic(), "proxyPassword=x".getBytes(StandardCharsets.US_ASCII), SealedSecrets.SEALED_ENTRY));
        assertTrue(e.getMessage().contains("not a sealed secrets file"), e.getMessage());
    }

    @Test
    void anArchiveWithClearSecretsIsRewrittenWithThemSealedAndEverythingElseKept(@TempDir Path dir) throws Exception {
        Path clear = dir.resolve("clear.tar");
        try (TarWriter tar = new TarWriter(FileChannel.open(clear, StandardOpenOption.CREATE, StandardOpenOption.WRITE))) {
            tar.file("sensorfleet-backup.json", "{\"format\":1}".getBytes(StandardCharsets.UTF_8), 1);
            tar.directory("config", 1);
            tar.file("config/network.conf", "network.proxy=\"proxy.example:3128\"\n".getBytes(StandardCharsets.UTF_8), 1);
            tar.file(SealedSecrets.CLEAR_ENTRY, SECRETS.length, 1, 0600, Channels.newChannel(new ByteArrayInputStream(SECRETS)));
            tar.directory("data", 1);
            tar.file("data/assets.db", "assets".getBytes(StandardCharsets.UTF_8), 1);
            tar.finish();
        }
        assertEquals(SecretsInArchive.Kind.CLEAR, SecretsInArchive.find(clear).kind());

        Path sealed = dir.resolve("sealed.tar");
        Files.createFile(sealed);
        String sha = SecretsInArchive.sealClear(clear, sealed, console.getPublic());
        assertEquals(64, sha.length());
        assertFalse(new String(Files.readAllBytes(sealed), StandardCharsets.ISO_8859_1).contains("Tr0ub4dor"));
        SecretsInArchive.Found found = SecretsInArchive.find(sealed);
        assertEquals(SecretsInArchive.Kind.SEALED, found.kind());
        assertArrayEquals(SECRETS, SealedSecrets.open(console.getPrivate(), console.getPublic(), found.content(),
                SealedSecrets.SEALED_ENTRY));
        String all = new String(Files.readAllBytes(sealed), StandardCharsets.ISO_8859_1);
        assertTrue(all.contains("proxy.example:3128") && all.contains("assets"), "the other entries are kept");
    }
}
