package io.sensorfleet.agent.identity;

import io.sensorfleet.lib.json.JsonException;
import io.sensorfleet.lib.json.Json;
import io.sensorfleet.agent.AgentException;
import io.sensorfleet.agent.AgentJson;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The agent's state directory:
 * <pre>
 * agent.json   {@link Identity}; present = connected
 * sensor.key   EC P-256 private key, PKCS#8 PEM, mode 0600
 * sensor.crt   the sensor's certificate, PEM
 * ca.crt       the console CA certificate, PEM
 * status.json  {@link AgentStatus}
 * https.key    private key of the local HTTPS status endpoint, PKCS#8 PEM, mode 0600
 * https.crt    its certificate followed by its chain, PEM (imported, or self-signed at first start)
 * </pre>
 * The directory is created with mode 0700. Use one instance per directory in a JVM.
 */
public final class StateDir {
    public static final String IDENTITY = "agent.json";
    public static final String KEY = "sensor.key";
    public static final String CERTIFICATE = "sensor.crt";
    public static final String CA_CERTIFICATE = "ca.crt";
    public static final String STATUS = "status.json";
    public static final String HTTPS_KEY = "https.key";
    public static final String HTTPS_CERTIFICATE = "https.crt";

    private final Path dir;
    private final AtomicFiles files;
    private final Json json = AgentJson.mapper();

    public StateDir(Path dir) {
        this.dir = dir.toAbsolutePath();
        this.files = new AtomicFiles(this.dir);
    }

    public Path path() {
        return dir;
    }

    public synchronized Optional<Identity> identity() {
        if (!files.directoryExists()) {
            return Optional.empty();
        }
        return io("read", () -> files.locked(() -> {
            files.recover();
            return files.read(IDENTITY).map(bytes -> parse(bytes, Identity.class, IDENTITY));
        }));
    }

    /** @throws NotConnectedException when the sensor has not been connected */
    public Identity requireIdentity() {
        return identity().orElseThrow(NotConnectedException::new);
    }

    /** Key, certificate and CA, checked to belong together. */
    public synchronized Credentials credentials() {
        if (!files.directoryExists()) {
            throw new NotConnectedException();
        }
        return io("read", () -> files.locked(() -> {
            files.recover();
            if (files.read(IDENTITY).isEmpty()) {
                throw new NotConnectedException();
            }
            PrivateKey key;
            try {
                key = Pem.readPrivateKey(readText(KEY));
            } catch (GeneralSecurityException e) {
                throw new StateDirException(KEY + " in " + dir + " is not a usable key: " + e.getMessage(), e);
            }
            X509Certificate certificate = readCertificate(CERTIFICATE);
            X509Certificate ca = readCertificate(CA_CERTIFICATE);
            if (!IssuedCertificates.belongTogether(key, certificate.getPublicKey())) {
                throw new StateDirException(KEY + " and " + CERTIFICATE + " in " + dir + " do not belong together", null);
            }
            return new Credentials(key, certificate, ca);
        }));
    }

    /** The sensor's certificate alone (no key), e.g. to show its validity. */
    public synchronized X509Certificate certificate() {
        requireIdentity();
        return io("read", () -> files.locked(() -> readCertificate(CERTIFICATE)));
    }

    /** Stores a new identity, replacing any previous one and its status, in one atomic step. */
    public synchronized void saveEnrollment(Identity identity, PrivateKey key, String certificatePem,
                                            String caCertificatePem) {
        Map<String, AtomicFiles.Content> set = credentialFiles(key, certificatePem, caCertificatePem);
        set.put(STATUS, AtomicFiles.Content.open(write(AgentStatus.none())));
        // Last, so that a reader that sees the new identity also sees the rest.
        set.put(IDENTITY, AtomicFiles.Content.open(write(identity)));
        io("write", () -> files.locked(() -> {
            files.commit(set);
            return null;
        }));
    }

    /** Replaces key and certificate after renewal, in one atomic step. */
    public synchronized void saveRenewal(Identity identity, PrivateKey key, String certificatePem,
                                         String caCertificatePem) {
        Map<String, AtomicFiles.Content> set = credentialFiles(key, certificatePem, caCertificatePem);
        set.put(IDENTITY, AtomicFiles.Content.open(write(identity)));
        io("write", () -> files.locked(() -> {
            files.commit(set);
            return null;
        }));
    }

    public synchronized void saveIdentity(Identity identity) {
        byte[] content = write(identity);
        io("write", () -> files.locked(() -> {
            files.write(IDENTITY, AtomicFiles.Content.open(content), true);
            return null;
        }));
    }

    /** Replaces the local HTTPS endpoint's key and certificate (leaf first, then its chain) in one atomic step. */
    public synchronized void saveHttpsCertificate(PrivateKey key, List<X509Certificate> chain) {
        StringBuilder pem = new StringBuilder();
        chain.forEach(c -> pem.append(Pem.certificate(c)));
        Map<String, AtomicFiles.Content> set = new LinkedHashMap<>();
        set.put(HTTPS_KEY, AtomicFiles.Content.secret(Pem.privateKey(key)));
        set.put(HTTPS_CERTIFICATE, AtomicFiles.Content.open(pem.toString().getBytes(StandardCharsets.US_ASCII)));
        io("write", () -> files.locked(() -> {
            files.commit(set);
            return null;
        }));
    }

    /** The local HTTPS endpoint's key and certificate chain; empty when none was imported or generated yet. */
    public synchronized Optional<HttpsCertificate> httpsCertificate() {
        if (!files.directoryExists()) {
            return Optional.empty();
        }
        return io("read", () -> files.locked(() -> {
            files.recover();
            Optional<byte[]> key = files.read(HTTPS_KEY);
            Optional<byte[]> chain = files.read(HTTPS_CERTIFICATE);
            if (key.isEmpty() || chain.isEmpty()) {
                return Optional.<HttpsCertificate>empty();
            }
            try {
                return Optional.of(new HttpsCertificate(Pem.readPrivateKey(new String(key.get(), StandardCharsets.US_ASCII)),
                        Pem.readCertificates(new String(chain.get(), StandardCharsets.US_ASCII))));
            } catch (GeneralSecurityException e) {
                throw new StateDirException(HTTPS_KEY + " or " + HTTPS_CERTIFICATE + " in " + dir + " cannot be read: "
                        + e.getMessage(), e);
            }
        }));
    }

    /**
     * Changes whenever the HTTPS certificate file is replaced (a new file has a new inode and time):
     * cheap enough to ask on every TLS handshake, without the lock.
     */
    public Object httpsCertificateStamp() {
        try {
            BasicFileAttributes a = Files.readAttributes(dir.resolve(HTTPS_CERTIFICATE), BasicFileAttributes.class);
            return List.of(String.valueOf(a.fileKey()), a.lastModifiedTime(), a.size());
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The recorded status, or {@link AgentStatus#none()} when nothing was recorded yet. */
    public synchronized AgentStatus status() {
        if (!files.directoryExists()) {
            return AgentStatus.none();
        }
        return io("read", () -> files.locked(() -> files.read(STATUS)
                .map(bytes -> parse(bytes, AgentStatus.class, STATUS))
                .orElse(AgentStatus.none())));
    }

    public synchronized void saveStatus(AgentStatus status) {
        byte[] content = write(status);
        // Not forced to disk: rewritten every heartbeat, and losing the last one in a power cut is harmless.
        io("write", () -> files.locked(() -> {
            files.write(STATUS, AtomicFiles.Content.open(content), false);
            return null;
        }));
    }

    private Map<String, AtomicFiles.Content> credentialFiles(PrivateKey key, String certificatePem,
                                                            String caCertificatePem) {
        Map<String, AtomicFiles.Content> set = new LinkedHashMap<>();
        set.put(KEY, AtomicFiles.Content.secret(Pem.privateKey(key)));
        set.put(CERTIFICATE, AtomicFiles.Content.open(certificatePem.getBytes(StandardCharsets.US_ASCII)));
        set.put(CA_CERTIFICATE, AtomicFiles.Content.open(caCertificatePem.getBytes(StandardCharsets.US_ASCII)));
        return set;
    }

    private String readText(String name) throws IOException {
        return new String(files.read(name).orElseThrow(() -> new StateDirException(
                name + " is missing in " + dir + "; connect again with --force", null)), StandardCharsets.US_ASCII);
    }

    private X509Certificate readCertificate(String name) throws IOException {
        try {
            return Pem.readCertificate(readText(name));
        } catch (CertificateException e) {
            throw new StateDirException(name + " in " + dir + " is not a certificate: " + e.getMessage(), e);
        }
    }

    private <T> T parse(byte[] bytes, Class<T> type, String name) {
        try {
            return json.readValue(bytes, type);
        } catch (IOException e) {
            String reason = e instanceof JsonException j ? j.getOriginalMessage() : e.getMessage();
            throw new StateDirException(name + " in " + dir + " is not valid: " + reason, e);
        }
    }

    private byte[] write(Object value) {
        return json.pretty().writeValueAsBytes(value);
    }

    private <T> T io(String verb, AtomicFiles.Action<T> action) {
        try {
            return action.run();
        } catch (AgentException e) {
            throw e;
        } catch (AccessDeniedException e) {
            throw new StateDirException("cannot " + verb + " state dir " + dir
                    + ": permission denied (run as the agent's user or pick another --state-dir)", e);
        } catch (Exception e) {
            throw new StateDirException("cannot " + verb + " state dir " + dir + ": " + e, e);
        }
    }
}
