package io.sensorfleet.lib.packages;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PackageArchiveTest {
    private static final byte[] PAYLOAD = "payload bytes, not a real tar here".getBytes(StandardCharsets.UTF_8);

    private static Map<String, PublicKey> trust(KeyPair k) {
        return Map.of(PackageSignature.keyId(k.getPublic()), k.getPublic());
    }

    private static PackageException.Kind refusal(byte[] pkg, Map<String, PublicKey> trusted) {
        return assertThrows(PackageException.class,
                () -> PackageArchive.verify(new ByteArrayInputStream(pkg), trusted, null)).kind();
    }

    @Test
    void aSignedPackageVerifiesAndHandsOverItsPayload() throws Exception {
        KeyPair key = Packages.newKey();
        UpdateManifest m = Packages.manifest("10.5.5", List.of("3.1.1"), null, PAYLOAD);
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        PackageArchive.Verified v = PackageArchive.verify(new ByteArrayInputStream(Packages.build(m, key, PAYLOAD)),
                trust(key), payload);
        assertEquals(m, v.manifest());
        assertEquals(PackageSignature.keyId(key.getPublic()), v.keyId());
        assertArrayEquals(PAYLOAD, payload.toByteArray());
    }

    @Test
    void eachKindOfBadPackageIsRefusedWithItsOwnKind() throws Exception {
        KeyPair key = Packages.newKey();
        UpdateManifest m = Packages.manifest("10.5.5", List.of("3.1.1"), null, PAYLOAD);
        byte[] good = Packages.build(m, key, PAYLOAD);

        assertEquals(PackageException.Kind.UNSIGNED, refusal(Packages.build(m, null, PAYLOAD), trust(key)));
        assertEquals(PackageException.Kind.UNKNOWN_KEY, refusal(good, trust(Packages.newKey())));
        // Signed with a trusted key id but someone else's signature bytes.
        KeyPair other = Packages.newKey();
        byte[] forged = Packages.build(m, other, PAYLOAD);
        assertEquals(PackageException.Kind.BAD_SIGNATURE,
                refusal(forged, Map.of(PackageSignature.keyId(other.getPublic()), key.getPublic())));
        byte[] changed = PAYLOAD.clone();
        changed[0] ^= 1;
        UpdateManifest lying = Packages.manifest("10.5.5", List.of("3.1.1"), null, PAYLOAD);
        assertEquals(PackageException.Kind.DIGEST_MISMATCH, refusal(Packages.build(lying, key, changed), trust(key)));
        assertEquals(PackageException.Kind.TRUNCATED, refusal(Arrays.copyOf(good, good.length - 1100), trust(key)));
        assertEquals(PackageException.Kind.MALFORMED_PACKAGE, refusal("not a tar".repeat(100).getBytes(), trust(key)));
    }

    @Test
    void aPrivateKeyDerivesItsPublicKey() throws Exception {
        KeyPair key = Packages.newKey();
        assertEquals(PackageSignature.keyId(key.getPublic()), PackageSignature.keyId(PackageSignature.publicKeyOf(key.getPrivate())));
        String pem = PackageSignature.pem(key.getPublic());
        assertEquals(trust(key).keySet(), PackageSignature.publicKeys(pem).keySet());
    }
}
