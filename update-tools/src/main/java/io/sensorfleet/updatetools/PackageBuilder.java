package io.sensorfleet.updatetools;

import io.sensorfleet.lib.tar.TarWriter;
import io.sensorfleet.agent.update.HealthCheck;
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
 * Builds and signs update packages (the vendor's side; see docs/update-package-format.md): the
 * payload directory becomes {@code payload.tar}, its SHA-256 goes into the manifest, and the
 * manifest is signed with the vendor's Ed25519 key.
 */
public final class PackageBuilder {
    /**
     * What the manifest says besides the payload digest.
     *
     * @param appliesTo             versions or {@code 10.5.x} prefixes; may be empty when {@code minimumFrom} is set
     * @param minimumFrom           lowest version it applies to, or null
     */
    public record Spec(String version, List<String> appliesTo, String minimumFrom, boolean requiresNewActivation,
                       int healthcheckTimeoutSeconds) {
    }

    private PackageBuilder() {
    }

    /** Builds {@code out} from {@code payloadDir}, which must hold an executable {@code healthcheck}. */
    public static UpdateManifest build(Path payloadDir, Spec spec, PrivateKey key, Path out) throws IOException {
        Path script = payloadDir.resolve(HealthCheck.SCRIPT);
        if (!Files.isRegularFile(script) || !Files.isExecutable(script)) {
            throw new IllegalArgumentException(payloadDir + " has no executable '" + HealthCheck.SCRIPT
                    + "': every package carries the health check the sensor runs after installing");
        }
        Path payload = Files.createTempFile("payload-", ".tar");
        try {
            String sha;
            try (TarWriter tar = new TarWriter(FileChannel.open(payload, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING))) {
                addTree(tar, payloadDir);
                sha = tar.finish();
            }
            UpdateManifest m = new UpdateManifest(UpdateManifest.FORMAT, UpdateManifest.PRODUCT, spec.version(),
                    spec.appliesTo(), spec.minimumFrom(), spec.requiresNewActivation(), sha, Files.size(payload),
                    spec.healthcheckTimeoutSeconds());
            List<String> problems = m.problems();
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(String.join("; ", problems));
            }
            byte[] manifest = m.toBytes();
            byte[] sig = PackageSignature.sign(manifest, key, PackageSignature.publicKeyOf(key)).toBytes();
            try (OutputStream o = Files.newOutputStream(out); InputStream in = Files.newInputStream(payload)) {
                PackageArchive.write(o, manifest, sig, in, Files.size(payload));
            }
            return m;
        } finally {
            Files.deleteIfExists(payload);
        }
    }

    private static void addTree(TarWriter tar, Path root) throws IOException {
        List<Path> all;
        try (Stream<Path> walk = Files.walk(root)) {
            all = walk.filter(p -> !p.equals(root)).sorted().toList();
        }
        for (Path p : all) {
            String name = root.relativize(p).toString().replace('\\', '/');
            long mtime = Files.getLastModifiedTime(p).toMillis() / 1000;
            if (Files.isDirectory(p)) {
                tar.directory(name, mtime);
            } else if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                int mode = Files.getPosixFilePermissions(p).contains(PosixFilePermission.OWNER_EXECUTE) ? 0755 : 0644;
                try (FileChannel in = FileChannel.open(p)) {
                    tar.file(name, in.size(), mtime, mode, in);
                }
            } else {
                throw new IllegalArgumentException(p + " is a link or special file; a payload holds files and directories");
            }
        }
    }
}
