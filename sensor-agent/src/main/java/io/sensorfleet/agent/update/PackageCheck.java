package io.sensorfleet.agent.update;

import io.sensorfleet.protocol.v1.update.UpdateTask;
import io.sensorfleet.lib.packages.PackageArchive;
import io.sensorfleet.lib.packages.PackageException;
import io.sensorfleet.lib.packages.PackageSignature;
import io.sensorfleet.lib.packages.UpdateManifest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The sensor's own check of a downloaded package, independent of the console's: signature with a
 * key the sensor trusts, manifest, payload digest, the version it was told to install, and that
 * the package applies to the version it runs. The payload is written out on the way for installing.
 */
final class PackageCheck {
    /** PEM files of vendor keys the sensor trusts besides those the console names. */
    static final String KEYS_DIR = "update-keys";

    private PackageCheck() {
    }

    static UpdateManifest verify(Path pkg, Path payloadOut, UpdateTask task, String running, Path stateDir)
            throws UpdateException, IOException {
        Map<String, PublicKey> trusted = trustedKeys(task.trustedKeys(), stateDir.resolve(KEYS_DIR));
        PackageArchive.Verified v;
        try (InputStream in = Files.newInputStream(pkg); OutputStream out = Files.newOutputStream(payloadOut)) {
            v = PackageArchive.verify(in, trusted, out);
        } catch (PackageException e) {
            throw new UpdateException("the package is refused (" + e.kind().type() + "): " + e.getMessage());
        }
        UpdateManifest m = v.manifest();
        if (!m.version().equals(task.version())) {
            throw new UpdateException("the package installs version " + m.version() + ", the console announced "
                    + task.version());
        }
        if (!m.appliesTo(running)) {
            throw new UpdateException("package " + m.version() + " applies to " + m.describeAppliesTo()
                    + "; this sensor runs version " + running);
        }
        return m;
    }

    static Map<String, PublicKey> trustedKeys(List<String> fromConsole, Path keysDir) throws IOException {
        Map<String, PublicKey> keys = new HashMap<>();
        for (String pem : fromConsole == null ? List.<String>of() : fromConsole) {
            try {
                keys.putAll(PackageSignature.publicKeys(pem));
            } catch (IllegalArgumentException e) {
                // a key the sensor cannot read is a key it does not trust
            }
        }
        if (Files.isDirectory(keysDir)) {
            try (var files = Files.list(keysDir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".pem")).toList()) {
                    keys.putAll(PackageSignature.publicKeys(Files.readString(f)));
                }
            }
        }
        return keys;
    }
}
