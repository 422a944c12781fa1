package io.sensorfleet.updatetools;


import io.sensorfleet.lib.packages.PackageArchive;
import io.sensorfleet.lib.packages.PackageSignature;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PackageCommandTest {
    @TempDir
    Path tmp;

    private Path key(KeyPair k) throws Exception {
        Path f = tmp.resolve("vendor.pem");
        Files.writeString(f, "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(k.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        return f;
    }

    private Path payload(boolean withHealthcheck) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("payload"));
        Files.writeString(dir.resolve("README"), "v");
        if (withHealthcheck) {
            Path s = dir.resolve("healthcheck");
            Files.writeString(s, "#!/bin/sh\nexit 0\n");
            Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return dir;
    }

    @Test
    void buildsAPackageThatVerifiesWithTheVendorsPublicKey() throws Exception {
        KeyPair k = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Path out = tmp.resolve("sensor-10.5.5.pkg");
        CliRun r = CliRun.of("build", "--payload-dir", payload(true).toString(),
                "--version", "10.5.5", "--applies-to", "3.1.1,3.1.x", "--key", key(k).toString(), "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("version 10.5.5 for 3.1.1, 3.1.x"), r.out());
        try (InputStream in = Files.newInputStream(out)) {
            var v = PackageArchive.verify(in, PackageSignature.publicKeys(PackageSignature.pem(k.getPublic())), null);
            assertEquals("10.5.5", v.manifest().version());
        }
    }

    @Test
    void aPayloadWithoutHealthCheckIsAOneLineError() throws Exception {
        KeyPair k = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        CliRun r = CliRun.of("build", "--payload-dir", payload(false).toString(),
                "--version", "10.5.5", "--applies-to", "3.1.1", "--key", key(k).toString(),
                "--out", tmp.resolve("x.pkg").toString());
        assertEquals(1, r.exitCode());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().startsWith("error: cannot build the package:") && r.err().contains("healthcheck"), r.err());
    }

    @Test
    void aBadVersionIsAOneLineErrorNamingTheField() throws Exception {
        KeyPair k = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        CliRun r = CliRun.of("build", "--payload-dir", payload(true).toString(),
                "--version", "../10", "--applies-to", "3.1.1", "--key", key(k).toString(),
                "--out", tmp.resolve("x.pkg").toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("version:"), r.err());
    }
}
