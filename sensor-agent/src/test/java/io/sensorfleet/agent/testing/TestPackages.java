package io.sensorfleet.agent.testing;

import io.sensorfleet.lib.tar.TarWriter;
import io.sensorfleet.lib.packages.PackageArchive;
import io.sensorfleet.lib.packages.PackageSignature;
import io.sensorfleet.lib.packages.UpdateManifest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.PrivateKey;
import java.util.List;
import java.util.stream.Stream;

/**
 * Signed update packages for the agent's own tests. The vendor tool lives in its own module, which
 * depends on the agent; this fixture writes the documented format with the protocol's classes.
 */
public final class TestPackages {
    private TestPackages() {
    }

    /** A package of the files under {@code payloadDir} that installs {@code version} on any of {@code appliesTo}. */
    public static Path build(Path payloadDir, String version, List<String> appliesTo, int healthcheckTimeoutSeconds,
                             PrivateKey key, Path out) throws IOException {
        Path payload = Files.createTempFile("payload-", ".tar");
        try {
            String sha;
            try (TarWriter tar = new TarWriter(FileChannel.open(payload, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING))) {
                List<Path> all;
                try (Stream<Path> walk = Files.walk(payloadDir)) {
                    all = walk.filter(p -> !p.equals(payloadDir)).sorted().toList();
                }
                for (Path p : all) {
                    String name = payloadDir.relativize(p).toString();
                    if (Files.isDirectory(p)) {
                        tar.directory(name, 0);
                    } else {
                        int mode = Files.getPosixFilePermissions(p).contains(PosixFilePermission.OWNER_EXECUTE) ? 0755 : 0644;
                        try (FileChannel in = FileChannel.open(p)) {
                            tar.file(name, in.size(), 0, mode, in);
                        }
                    }
                }
                sha = tar.finish();
            }
            byte[] manifest = new UpdateManifest(UpdateManifest.FORMAT, UpdateManifest.PRODUCT, version, appliesTo, null,
                    false, sha, Files.size(payload), healthcheckTimeoutSeconds).toBytes();
            byte[] sig = PackageSignature.sign(manifest, key, PackageSignature.publicKeyOf(key)).toBytes();
            try (OutputStream o = Files.newOutputStream(out); InputStream in = Files.newInputStream(payload)) {
                PackageArchive.write(o, manifest, sig, in, Files.size(payload));
            }
            return out;
        } finally {
            Files.deleteIfExists(payload);
        }
    }
}
