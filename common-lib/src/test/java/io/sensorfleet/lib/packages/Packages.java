package io.sensorfleet.lib.packages;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/** Builds packages in memory for the tests. */
final class Packages {
    private Packages() {
    }

    static KeyPair newKey() throws Exception {
        return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    static UpdateManifest manifest(String version, List<String> appliesTo, String minimumFrom, byte[] payload) throws Exception {
        return new UpdateManifest(1, UpdateManifest.PRODUCT, version, appliesTo, minimumFrom, false,
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload)), payload.length, 30);
    }

    static byte[] build(UpdateManifest m, KeyPair key, byte[] payload) throws IOException {
        byte[] manifest = m.toBytes();
        byte[] sig = key == null ? null : PackageSignature.sign(manifest, key.getPrivate(), key.getPublic()).toBytes();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PackageArchive.write(out, manifest, sig, new ByteArrayInputStream(payload), payload.length);
        return out.toByteArray();
    }
}
