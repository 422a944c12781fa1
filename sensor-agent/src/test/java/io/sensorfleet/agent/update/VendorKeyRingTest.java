package io.sensorfleet.agent.update;

import io.sensorfleet.lib.packages.PackageSignature;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VendorKeyRingTest {
    @TempDir
    Path dir;

    private final KeyPair vendor = ed25519();
    private final KeyPair next = ed25519();
    private final KeyPair console = ed25519();

    private VendorKeyRing ring() throws Exception {
        Path pinned = dir.resolve("vendor-keys.pem");
        if (!Files.exists(pinned)) {
            Files.writeString(pinned, pem(vendor));
        }
        return new VendorKeyRing(pinned, Files.createDirectories(dir.resolve("state")));
    }

    @Test
    void onlyThePinnedKeysAreTrustedBeforeAnyRotation() throws Exception {
        assertEquals(Set.of(id(vendor)), ring().trusted().keySet());
    }

    @Test
    void aKeyListSignedByATrustedKeyReplacesTheTrustedKeys() throws Exception {
        VendorKeyRing ring = ring();
        byte[] list = pem(next).getBytes(StandardCharsets.UTF_8);

        assertEquals(id(vendor), ring.rotate(list, sign(list, vendor)));

        assertEquals(Set.of(id(next)), ring().trusted().keySet(), "kept across restarts, the old key retired");
    }

    @Test
    void aKeyListSignedByAKeyTheSensorDoesNotTrustIsRefusedWithTheReason() throws Exception {
        VendorKeyRing ring = ring();
        byte[] list = pem(console).getBytes(StandardCharsets.UTF_8);

        UpdateException e = assertThrows(UpdateException.class, () -> ring.rotate(list, sign(list, console)));

        assertTrue(e.getMessage().contains("not among the trusted vendor keys"), e.getMessage());
        assertEquals(Set.of(id(vendor)), ring.trusted().keySet());
    }

    @Test
    void rotationsChainAndEachIsCheckedAgainstTheKeysBeforeIt() throws Exception {
        VendorKeyRing ring = ring();
        byte[] first = pem(next).getBytes(StandardCharsets.UTF_8);
        ring.rotate(first, sign(first, vendor));
        byte[] second = (pem(next) + pem(console)).getBytes(StandardCharsets.UTF_8);
        ring.rotate(second, sign(second, next));

        assertEquals(Set.of(id(next), id(console)), ring().trusted().keySet());
    }

    @Test
    void aKeyListPlantedInTheStateDirectoryWithoutAValidSignatureIsIgnored() throws Exception {
        VendorKeyRing ring = ring();
        Path chain = dir.resolve("state").resolve(VendorKeyRing.CHAIN_DIR);
        Files.createDirectories(chain);
        byte[] planted = pem(console).getBytes(StandardCharsets.UTF_8);
        Files.write(chain.resolve("0001.pem"), planted);
        Files.write(chain.resolve("0001.sig"), sign(planted, console));

        assertEquals(Set.of(id(vendor)), ring.trusted().keySet());
    }

    private static byte[] sign(byte[] content, KeyPair key) {
        return PackageSignature.sign(content, key.getPrivate(), key.getPublic()).toBytes();
    }

    private static String id(KeyPair key) {
        return PackageSignature.keyId(key.getPublic());
    }

    private static String pem(KeyPair key) {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    private static KeyPair ed25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
