package io.sensorfleet.console.support;

import io.sensorfleet.updatetools.PackageBuilder;
import io.sensorfleet.lib.packages.PackageSignature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.util.List;

/** Update packages for tests, built and signed with the project's packaging code and the dev/test vendor key. */
public final class UpdatePackages {
    private UpdatePackages() {
    }

    public static Path devTestPrivateKey() {
        return ThrowawayPostgres.repoRoot().resolve("testing/update-signing/dev-test-vendor-private.pem");
    }

    public static Path devTestPublicKey() {
        return ThrowawayPostgres.repoRoot().resolve("testing/update-signing/dev-test-vendor-public.pem");
    }

    public static PrivateKey devTestKey() {
        try {
            return PackageSignature.privateKey(Files.readString(devTestPrivateKey()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A package of {@code version} for {@code appliesTo}, whose health check runs {@code healthcheck} (sh). */
    public static Path build(Path dir, String version, List<String> appliesTo, String healthcheck) {
        return build(dir, new PackageBuilder.Spec(version, appliesTo, null, false, 10), healthcheck, devTestKey());
    }

    public static Path build(Path dir, PackageBuilder.Spec spec, String healthcheck, PrivateKey key) {
        return build(dir, spec, healthcheck, key, 0);
    }

    /** As {@link #build(Path, PackageBuilder.Spec, String, PrivateKey)}, with {@code extraBytes} of random data in the payload. */
    public static Path build(Path dir, PackageBuilder.Spec spec, String healthcheck, PrivateKey key, int extraBytes) {
        try {
            Path payload = Files.createDirectories(dir.resolve("payload-" + spec.version() + "-" + System.nanoTime()));
            Path script = payload.resolve("healthcheck");
            Files.writeString(script, "#!/bin/sh\n" + healthcheck + "\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.writeString(payload.resolve("README"), "sensor software " + spec.version() + "\n");
            if (extraBytes > 0) {
                byte[] data = new byte[extraBytes];
                new java.util.Random(extraBytes).nextBytes(data);
                Files.write(payload.resolve("sensor.bin"), data);
            }
            Path out = dir.resolve("sensor-" + spec.version() + "-" + System.nanoTime() + ".pkg");
            PackageBuilder.build(payload, spec, key, out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
