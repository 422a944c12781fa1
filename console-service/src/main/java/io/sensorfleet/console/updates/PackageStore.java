package io.sensorfleet.console.updates;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.console.common.ProductVersion;
import io.sensorfleet.lib.packages.PackageArchive;
import io.sensorfleet.lib.packages.PackageException;
import io.sensorfleet.lib.packages.UpdateManifest;
import io.sensorfleet.protocol.v1.update.Versions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Uploaded packages: streamed to a partial file in the storage directory (constant memory, size
 * limit enforced while it streams), checked completely — layout, signature with a trusted vendor
 * key, manifest, payload digest, version — and only then renamed into place and recorded. Anything
 * else is refused with its own problem type and leaves nothing behind.
 */
@ApplicationScoped
public class PackageStore {
    private static final Pattern STORAGE_PATH = Pattern.compile("[/A-Za-z0-9_]+");

    private final UpdatesConfig config;
    private final VendorKeys keys;
    private final EntityManager em;
    private final Clock clock;

    PackageStore(UpdatesConfig config, VendorKeys keys, EntityManager em, Clock clock) {
        this.config = config;
        this.keys = keys;
        this.em = em;
        this.clock = clock;
    }

    /** A stored package as recorded. */
    public record Stored(UUID id, UpdateManifest manifest, String keyId, long size, String sha256) {
    }

    /** A storage path the console will not use stops it at start, with the reason. */
    void checkAtStart(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent ev) {
        root();
        keys.trusted();
    }

    /** Stores an uploaded package (the REST API's body, or the web console's form file) after every check. */
    public Stored upload(InputStream body, String actor) {
        UUID id = UUID.randomUUID();
        Path part = root().resolve(id + ".part");
        try {
            Files.createDirectories(root());
            String sha = receive(body, part);
            PackageArchive.Verified v;
            try (InputStream in = Files.newInputStream(part)) {
                v = PackageArchive.verify(in, keys.trusted(), null);
            } catch (PackageException e) {
                throw UpdateProblem.of(e);
            }
            UpdateManifest m = v.manifest();
            if (Versions.newer(m.version(), ProductVersion.current())) {
                throw UpdateProblem.newerThanConsole(m.version(), ProductVersion.current());
            }
            long size = Files.size(part);
            Files.move(part, file(id), StandardCopyOption.ATOMIC_MOVE);
            try {
                QuarkusTransaction.requiringNew().run(() -> insert(id, m, v.keyId(), size, sha, actor));
            } catch (RuntimeException e) {
                Files.deleteIfExists(file(id));
                throw e;
            }
            return new Stored(id, m, v.keyId(), size, sha);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the package in " + root(), e);
        } finally {
            try {
                Files.deleteIfExists(part);
            } catch (IOException e) {
                // a leftover .part is never read and is overwritten by nothing: harmless
            }
        }
    }

    private String receive(InputStream body, Path part) throws IOException {
        MessageDigest sha = sha256();
        long received = 0;
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(part), sha)) {
            byte[] buf = new byte[64 * 1024];
            while (true) {
                int n;
                try {
                    n = body.read(buf);
                } catch (IOException e) {
                    throw UpdateProblem.truncatedUpload(received);
                }
                if (n < 0) {
                    break;
                }
                received += n;
                if (received > config.maxPackageBytes()) {
                    throw UpdateProblem.tooLarge(config.maxPackageBytes());
                }
                out.write(buf, 0, n);
            }
        }
        if (received == 0) {
            throw ProblemException.badRequest("the body is empty: send the package file as application/octet-stream");
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private void insert(UUID id, UpdateManifest m, String keyId, long size, String sha, String actor) {
        Number existing = (Number) em.createNativeQuery("select count(*) from update_packages where version = ?1")
                .setParameter(1, m.version()).getSingleResult();
        if (existing.longValue() > 0) {
            throw UpdateProblem.duplicate(m.version());
        }
        int n = em.createNativeQuery("insert into update_packages (id, version, manifest, applies_to, "
                        + "requires_new_activation, payload_sha256, package_sha256, size_bytes, key_id, storage_name, "
                        + "uploaded_by, uploaded_at) values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) "
                        + "on conflict (version) do nothing")
                .setParameter(1, id).setParameter(2, m.version())
                .setParameter(3, new String(m.toBytes(), java.nio.charset.StandardCharsets.UTF_8))
                .setParameter(4, m.describeAppliesTo()).setParameter(5, m.requiresNewActivation())
                .setParameter(6, m.payloadSha256()).setParameter(7, sha).setParameter(8, size).setParameter(9, keyId)
                .setParameter(10, id + ".pkg").setParameter(11, actor).setParameter(12, clock.instant())
                .executeUpdate();
        if (n == 0) {
            throw UpdateProblem.duplicate(m.version());
        }
    }

    /** The stored file of a package. */
    Path file(UUID id) {
        return root().resolve(id + ".pkg");
    }

    /** Deletes a package's file (after its row is gone). */
    void deleteFile(UUID id) {
        try {
            Files.deleteIfExists(file(id));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path root() {
        if (!STORAGE_PATH.matcher(config.storageDir()).matches()) {
            throw new IllegalStateException("sensorfleet.updates.storage-dir '" + config.storageDir()
                    + "' may contain only / a-z A-Z 0-9 _");
        }
        return Path.of(config.storageDir()).toAbsolutePath().normalize();
    }

    static UpdateManifest manifest(String json) {
        try {
            return UpdateManifest.parse(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (PackageException e) {
            throw new IllegalStateException("a stored manifest no longer parses: " + e.getMessage());
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
