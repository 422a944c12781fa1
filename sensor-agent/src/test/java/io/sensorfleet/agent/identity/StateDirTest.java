package io.sensorfleet.agent.identity;

import io.sensorfleet.agent.testing.TestCa;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StateDirTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path tmp;

    private Path dir;
    private StateDir stateDir;
    private final TestCa ca = TestCa.create("CA");

    @BeforeEach
    void notYetCreated() {
        dir = tmp.resolve("state");
        stateDir = new StateDir(dir);
    }

    @Test
    void emptyStateDirIsNotConnectedAndIsNotCreatedByReading() {
        assertTrue(stateDir.identity().isEmpty());
        assertEquals(AgentStatus.none(), stateDir.status());
        NotConnectedException e = assertThrows(NotConnectedException.class, stateDir::credentials);

        assertEquals("not connected: run 'sensor-agent connect <connection-string>' first", e.getMessage());
        assertFalse(Files.exists(dir));
    }

    @Test
    void readsTheFilesAnAgentOnJacksonWrote() throws Exception {
        // Verbatim as agents up to 22.5.0 wrote them (Jackson's pretty printer), so an update keeps the identity.
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(StateDir.IDENTITY), """
                {
                  "sensorId" : "f8904cff-8c9a-48eb-8e01-9ea1fee45ae2",
                  "sensorName" : "vm",
                  "addresses" : [ "127.0.0.1:25153", "[2001:db8::1]:8443" ],
                  "heartbeatIntervalSeconds" : 30,
                  "certificateNotAfter" : "2027-01-04T01:42:18Z",
                  "certificateFingerprint" : "136537178398dd98286dc92888c0d0bb604473a576aefca678e0f7fdebb768a4",
                  "connectedAt" : "2026-12-05T01:42:19.022297040Z"
                }""");
        Files.writeString(dir.resolve(StateDir.STATUS), """
                {
                  "lastAttemptAt" : "2026-12-05T01:43:01.392554710Z",
                  "lastAddress" : "127.0.0.1:25153",
                  "lastSuccessAt" : null,
                  "consecutiveFailures" : 3,
                  "lastError" : "cannot reach console at 127.0.0.1:25153: \\"closed\\"\\n",
                  "lastErrorAt" : "2026-12-05T01:43:01Z"
                }""");

        assertEquals(new Identity("f8904cff-8c9a-48eb-8e01-9ea1fee45ae2", "vm", List.of("127.0.0.1:25153",
                "[2001:db8::1]:8443"), 30, Instant.parse("2027-01-04T01:42:18Z"),
                "136537178398dd98286dc92888c0d0bb604473a576aefca678e0f7fdebb768a4",
                Instant.parse("2026-12-05T01:42:19.022297040Z")), stateDir.identity().orElseThrow());
        assertEquals(new AgentStatus(Instant.parse("2026-12-05T01:43:01.392554710Z"), "127.0.0.1:25153", null, 3,
                "cannot reach console at 127.0.0.1:25153: \"closed\"\n", Instant.parse("2026-12-05T01:43:01Z")),
                stateDir.status());
    }

    @Test
    void keyIsOwnerOnlyInAnOwnerOnlyDirectory() throws Exception {
        save(TestCa.newKeyPair());

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(StateDir.KEY))));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertTrue(Files.readString(dir.resolve(StateDir.KEY)).startsWith("-----BEGIN PRIVATE KEY-----"));
    }

    @Test
    void savedCredentialsReadBackTheSame() {
        KeyPair keys = TestCa.newKeyPair();
        Identity identity = save(keys);

        Credentials credentials = stateDir.credentials();

        assertEquals(identity, stateDir.requireIdentity());
        assertArrayEquals(keys.getPrivate().getEncoded(), credentials.privateKey().getEncoded());
        assertEquals(ca.certificate(), credentials.caCertificate());
        assertFalse(credentials.toString().contains("PRIVATE"), "credentials must not print the key");
    }

    @Test
    void commitInterruptedAfterItsCommitPointIsFinishedByTheNextReader() throws Exception {
        save(TestCa.newKeyPair());
        KeyPair renewed = TestCa.newKeyPair();
        X509Certificate newCertificate = certificate(renewed);
        // As if the process died after writing the marker and moving only the key.
        Files.writeString(dir.resolve(StateDir.KEY), Pem.privateKey(renewed.getPrivate()));
        Files.writeString(dir.resolve(StateDir.CERTIFICATE + AtomicFiles.STAGED), Pem.certificate(newCertificate));
        Files.writeString(dir.resolve(AtomicFiles.PENDING), StateDir.KEY + "\n" + StateDir.CERTIFICATE);

        Credentials credentials = stateDir.credentials();

        assertEquals(newCertificate, credentials.certificate());
        assertFalse(Files.exists(dir.resolve(AtomicFiles.PENDING)));
        assertFalse(Files.exists(dir.resolve(StateDir.CERTIFICATE + AtomicFiles.STAGED)));
    }

    @Test
    void filesStagedBeforeTheCommitPointAreDiscarded() throws Exception {
        KeyPair original = TestCa.newKeyPair();
        save(original);
        Files.writeString(dir.resolve(StateDir.KEY + AtomicFiles.STAGED),
                Pem.privateKey(TestCa.newKeyPair().getPrivate()));

        Credentials credentials = stateDir.credentials();

        assertArrayEquals(original.getPrivate().getEncoded(), credentials.privateKey().getEncoded());
        assertFalse(Files.exists(dir.resolve(StateDir.KEY + AtomicFiles.STAGED)));
    }

    @Test
    void keyThatDoesNotMatchTheCertificateIsRefused() throws Exception {
        save(TestCa.newKeyPair());
        Files.writeString(dir.resolve(StateDir.KEY), Pem.privateKey(TestCa.newKeyPair().getPrivate()));

        StateDirException e = assertThrows(StateDirException.class, stateDir::credentials);

        assertTrue(e.getMessage().contains("do not belong together"), e.getMessage());
    }

    @Test
    void corruptIdentityFileIsReportedByName() throws Exception {
        save(TestCa.newKeyPair());
        Files.writeString(dir.resolve(StateDir.IDENTITY), "{not json", StandardCharsets.UTF_8);

        StateDirException e = assertThrows(StateDirException.class, stateDir::identity);

        assertTrue(e.getMessage().startsWith("agent.json in " + dir + " is not valid"), e.getMessage());
    }

    @Test
    void statusRoundTrips() {
        AgentStatus status = AgentStatus.none().failed(NOW, "127.0.0.1:9443", "refused").succeeded(NOW.plusSeconds(5), "[::1]:9443");

        stateDir.saveStatus(status);

        assertEquals(status, stateDir.status());
        assertEquals(0, status.consecutiveFailures());
        assertEquals("refused", status.lastError());
    }

    private Identity save(KeyPair keys) {
        X509Certificate certificate = certificate(keys);
        Identity identity = new Identity("sensor-1", "Sensor One", List.of("127.0.0.1:9443"), 30,
                NOW.plus(Duration.ofDays(30)), Identity.fingerprint(certificate), NOW);
        stateDir.saveEnrollment(identity, keys.getPrivate(), Pem.certificate(certificate), ca.pem());
        return identity;
    }

    private X509Certificate certificate(KeyPair keys) {
        return ca.issue(keys.getPublic(), "sensor-1", NOW, NOW.plus(Duration.ofDays(30)), KeyPurposeId.id_kp_clientAuth);
    }
}
