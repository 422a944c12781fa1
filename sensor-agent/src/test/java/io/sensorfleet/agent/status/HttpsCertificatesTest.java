package io.sensorfleet.agent.status;

import io.sensorfleet.agent.AgentLog;
import io.sensorfleet.agent.InvalidInputException;
import io.sensorfleet.agent.identity.HttpsCertificate;
import io.sensorfleet.agent.identity.Pem;
import io.sensorfleet.agent.identity.StateDir;
import io.sensorfleet.agent.testing.MutableClock;
import io.sensorfleet.agent.testing.TestCa;
import io.sensorfleet.lib.certificates.CertificateRules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpsCertificatesTest {
    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.now());
    private final TestCa ca = TestCa.create("Sensor PKI");

    /** An EC server certificate from the test CA, written as files an operator would copy to the sensor. */
    private Path[] files(String name) throws Exception {
        KeyPair kp = TestCa.newKeyPair();
        X509Certificate c = ca.issueServer(kp.getPublic(), "localhost", "127.0.0.1");
        Path crt = Files.writeString(dir.resolve(name + ".crt"), Pem.certificate(c));
        Path key = Files.writeString(dir.resolve(name + ".key"), Pem.privateKey(kp.getPrivate()));
        Path chain = Files.writeString(dir.resolve("chain.pem"), ca.pem());
        return new Path[]{crt, key, chain};
    }

    @Test
    void selfSignedIsMadeOnceAndMarkedThenReplacedByAnImport() throws Exception {
        StateDir state = new StateDir(dir.resolve("state"));
        HttpsCertificates certificates = new HttpsCertificates(state, clock);
        HttpsCertificate first = certificates.ensure("sensor-7");
        assertTrue(first.selfSigned(), first.certificate().getSubjectX500Principal().getName());
        assertEquals(first.certificate(), certificates.ensure("sensor-7").certificate(), "made once, then kept");

        Path[] f = files("imported");
        HttpsCertificate imported = certificates.importFiles(f[0], f[1], f[2], null, false);
        assertFalse(imported.selfSigned());
        assertEquals(2, imported.chain().size());
        assertEquals(imported.certificate(), certificates.ensure("sensor-7").certificate(), "an import is never replaced");
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(state.path().resolve(StateDir.HTTPS_KEY))));
    }

    @Test
    void expiredSelfSignedIsMadeAgainAtTheNextStart() {
        StateDir state = new StateDir(dir.resolve("state"));
        HttpsCertificates certificates = new HttpsCertificates(state, clock);
        X509Certificate first = certificates.ensure("sensor-7").certificate();
        clock.advance(Duration.ofDays(366));
        assertNotEquals(first, certificates.ensure("sensor-7").certificate());
    }

    @Test
    void passphraseSetWithoutAnEncryptedKeyIsRefusedAndChangesNothing() throws Exception {
        StateDir state = new StateDir(dir.resolve("state"));
        HttpsCertificates certificates = new HttpsCertificates(state, clock);
        certificates.ensure("sensor-7");
        byte[] before = Files.readAllBytes(state.path().resolve(StateDir.HTTPS_CERTIFICATE));
        Path[] f = files("imported");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> certificates.importFiles(f[0], f[1], f[2], "secret", true));
        assertTrue(e.getMessage().startsWith("--passphrase-set true, but the key in "), e.getMessage());
        InvalidInputException noPass = assertThrows(InvalidInputException.class,
                () -> certificates.importFiles(f[0], f[1], f[2], null, true));
        assertEquals("--passphrase-set true says the key is encrypted: give its passphrase with --pass", noPass.getMessage());
        assertArrayEquals(before, Files.readAllBytes(state.path().resolve(StateDir.HTTPS_CERTIFICATE)));
    }

    @Test
    void keyManagerPresentsAnImportAtTheNextHandshakeWithoutRestart() throws Exception {
        StateDir state = new StateDir(dir.resolve("state"));
        HttpsCertificates certificates = new HttpsCertificates(state, clock);
        HttpsCertificate initial = certificates.ensure("sensor-7");
        ReloadingKeyManager km = new ReloadingKeyManager(state, initial, AgentLog.lines(new PrintWriter(Writer.nullWriter()), clock));
        String before = km.chooseServerAlias("EC", null, null);
        assertEquals(initial.certificate(), km.getCertificateChain(before)[0]);
        assertEquals(null, km.chooseServerAlias("RSA", null, null), "an EC key serves no RSA handshake");

        Path[] f = files("imported");
        HttpsCertificate imported = certificates.importFiles(f[0], f[1], f[2], null, false);
        String after = km.chooseServerAlias("EC", null, null);

        assertNotEquals(before, after);
        assertEquals(imported.certificate(), km.getCertificateChain(after)[0]);
        assertTrue(CertificateRules.keyMatches(km.getPrivateKey(after), imported.certificate().getPublicKey()));
        assertEquals(initial.certificate(), km.getCertificateChain(before)[0], "a handshake under way keeps its pair");
    }
}
