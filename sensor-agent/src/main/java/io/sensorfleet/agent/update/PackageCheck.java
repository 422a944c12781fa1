package io.sensorfleet.agent.update;

import io.sensorfleet.lib.packages.PackageArchive;
import io.sensorfleet.lib.packages.PackageException;
import io.sensorfleet.lib.packages.UpdateManifest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Map;

/**
 * The sensor's own check of a downloaded package, independent of the console's: signature with a
 * vendor key the sensor trusts ({@link VendorKeyRing}: pinned in the agent package, changed only by
 * a signed rotation; the keys a console names count for nothing), manifest, payload digest, the
 * version it was told to install, and that the package applies to the version it runs. The payload
 * is written out on the way for installing.
 */
final class PackageCheck {
    private PackageCheck() {
    }

    /**
     * @param expectedVersion the version the console announced; null for a package installed from the command line
     */
    static UpdateManifest verify(Path pkg, Path payloadOut, String expectedVersion, String running, VendorKeyRing keys)
            throws UpdateException, IOException {
        Map<String, PublicKey> trusted;
        try {
            trusted = keys.trusted();
        } catch (NoSuchFileException e) {
            throw new UpdateException("the package is refused: this sensor has no pinned vendor keys (" + e.getFile()
                    + " is missing)");
        } catch (IOException | IllegalArgumentException e) {
            throw new UpdateException("the package is refused: the sensor's vendor keys cannot be read: " + e.getMessage());
        }
        PackageArchive.Verified v;
        try (InputStream in = Files.newInputStream(pkg); OutputStream out = Files.newOutputStream(payloadOut)) {
            v = PackageArchive.verify(in, trusted, out);
        } catch (PackageException e) {
            throw new UpdateException("the package is refused by the sensor (" + e.kind().type() + "): " + e.getMessage());
        }
        UpdateManifest m = v.manifest();
        if (expectedVersion != null && !m.version().equals(expectedVersion)) {
            throw new UpdateException("the package installs version " + m.version() + ", the console announced "
                    + expectedVersion);
        }
        if (!m.appliesTo(running)) {
            throw new UpdateException("package " + m.version() + " applies to " + m.describeAppliesTo()
                    + "; this sensor runs version " + running);
        }
        return m;
    }
}
