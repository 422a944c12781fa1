package io.sensorfleet.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sensorfleet.agent.identity.Pem;
import io.sensorfleet.protocol.v1.enrollment.AgentAddress;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Simulated identities on disk, so a later run against the same console (same database) reports
 * with them instead of enrolling again. Holds private keys: written with mode 0600, and meant for
 * test fleets only.
 */
final class IdentityFile {
    /** The file's JSON: the CA once, then one entry per sensor. */
    record Content(int version, String caCertificatePem, List<Entry> sensors) {
    }

    record Entry(String sensorId, String sensorName, String privateKeyPem, String certificatePem,
                 List<String> addresses, int heartbeatIntervalSeconds) {
    }

    private static final ObjectMapper JSON = SimulatorJson.mapper();

    private IdentityFile() {
    }

    static List<SimulatedIdentity> load(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        Content content = JSON.readValue(file.toFile(), Content.class);
        if (content.version() != 1 || content.sensors() == null) {
            throw new IOException(file + " is not a simulator identities file (version 1)");
        }
        try {
            X509Certificate ca = Pem.readCertificate(content.caCertificatePem());
            List<SimulatedIdentity> identities = new ArrayList<>(content.sensors().size());
            for (Entry e : content.sensors()) {
                identities.add(new SimulatedIdentity(e.sensorId(), e.sensorName(), Pem.readPrivateKey(e.privateKeyPem()),
                        Pem.readCertificate(e.certificatePem()), ca,
                        e.addresses().stream().map(AgentAddress::parse).toList(), e.heartbeatIntervalSeconds()));
            }
            return identities;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException(file + " holds an unreadable identity: " + e.getMessage(), e);
        }
    }

    static void save(Path file, List<SimulatedIdentity> identities) throws IOException {
        if (identities.isEmpty()) {
            return;
        }
        X509Certificate ca = identities.getFirst().caCertificate();
        List<Entry> entries = new ArrayList<>(identities.size());
        for (SimulatedIdentity i : identities) {
            if (!i.caCertificate().equals(ca)) {
                throw new IOException("identities from two console CAs cannot share one file");
            }
            entries.add(new Entry(i.sensorId(), i.sensorName(), Pem.privateKey(i.privateKey()), pem(i.certificate()),
                    i.addresses().stream().map(AgentAddress::toString).toList(), i.heartbeatIntervalSeconds()));
        }
        Path absolute = file.toAbsolutePath();
        Files.createDirectories(absolute.getParent());
        Path staged = absolute.resolveSibling(absolute.getFileName() + ".tmp");
        Files.deleteIfExists(staged);
        Files.createFile(staged, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        JSON.writeValue(staged.toFile(), new Content(1, pem(ca), entries));
        Files.move(staged, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String pem(X509Certificate certificate) throws IOException {
        try {
            return Pem.certificate(certificate);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
