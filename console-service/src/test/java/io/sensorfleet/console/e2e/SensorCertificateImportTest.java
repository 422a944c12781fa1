package io.sensorfleet.console.e2e;

import io.sensorfleet.agent.AgentConfig;
import io.sensorfleet.agent.AgentLog;
import io.sensorfleet.agent.cli.AgentCli;
import io.sensorfleet.agent.identity.StateDir;
import io.sensorfleet.agent.status.StatusServer;
import io.sensorfleet.console.support.Cli;
import io.sensorfleet.console.support.OpensslPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code sensor-agent certificate import} with files made by the openssl command line, against the
 * agent's real status endpoint: what a fresh TLS connection is shown is read with openssl s_client.
 */
class SensorCertificateImportTest {
    static OpensslPki pki;
    static Path stateDir;
    static StatusServer server;

    @BeforeAll
    static void start() throws Exception {
        pki = OpensslPki.create("sensorcert-");
        pki.intermediate("inter");
        pki.write("srv.ext", "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        pki.leaf("good", 2048, "-sha256", "srv.ext", "ca");
        pki.leaf("other", 2048, "-sha256", "srv.ext", "ca");
        pki.leaf("weak", 1024, "-sha256", "srv.ext", "ca");
        pki.leaf("sha1", 2048, "-sha1", "srv.ext", "ca");
        pki.leaf("chained", 2048, "-sha256", "srv.ext", "inter");
        pki.caSigned("expired", "good", "srv.ext", "20200101000000Z", "20200201000000Z");
        pki.openssl("x509", "-in", pki.p("other.crt"), "-outform", "DER", "-out", pki.p("other.der"));
        pki.openssl("pkey", "-in", pki.p("good.key"), "-aes256", "-passout", "pass:key-secret", "-out", pki.p("good-enc.key"));
        stateDir = Files.createTempDirectory("sensor-state-");
        AgentConfig config = AgentConfig.defaults().withStateDir(stateDir);
        server = StatusServer.start(config, new StateDir(stateDir), new InetSocketAddress("127.0.0.1", 0),
                AgentLog.lines(new PrintWriter(Writer.nullWriter()), config.clock()));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    record Run(int exit, String out, String err) {
    }

    static Run importing(String... args) {
        List<String> all = new ArrayList<>(List.of("certificate", "import", "--state-dir", stateDir.toString()));
        all.addAll(Arrays.asList(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = AgentCli.execute(all.toArray(String[]::new), AgentConfig.defaults(), new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    static void assertRefused(String expected, String... args) throws Exception {
        String presentedBefore = OpensslPki.presentedFingerprint(server.port());
        byte[] keyBefore = Files.readAllBytes(stateDir.resolve(StateDir.HTTPS_KEY));
        byte[] certBefore = Files.readAllBytes(stateDir.resolve(StateDir.HTTPS_CERTIFICATE));
        Run r = importing(args);
        assertEquals(AgentCli.INVALID_INPUT, r.exit(), r.err());
        assertEquals(1, r.err().lines().count(), "one line: " + r.err());
        assertTrue(r.err().startsWith("error: ") && r.err().contains(expected), "'" + r.err() + "' should say '" + expected + "'");
        assertArrayEquals(keyBefore, Files.readAllBytes(stateDir.resolve(StateDir.HTTPS_KEY)), "the previous key stays");
        assertArrayEquals(certBefore, Files.readAllBytes(stateDir.resolve(StateDir.HTTPS_CERTIFICATE)), "the previous certificate stays");
        assertEquals(presentedBefore, OpensslPki.presentedFingerprint(server.port()));
    }

    static void assertImported(String certificateName, String... args) {
        Run r = importing(args);
        assertEquals(AgentCli.OK, r.exit(), r.err());
        // No restart: the next handshake presents what was just imported.
        assertEquals(OpensslPki.fingerprint(pki.read(certificateName)), OpensslPki.presentedFingerprint(server.port()));
    }

    @Test
    void openSslMadeCertificatesAreInstalledWithoutRestartAndBadOnesRefusedEachWithItsOwnMessage() throws Exception {
        String selfSigned = OpensslPki.presentedFingerprint(server.port());
        Cli.Result status = Cli.run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + server.port()), "Q\n");
        assertTrue(status.out().contains("self-signed, not for production"), status.out());

        assertRefused("--crt: the certificate has an RSA key of 1024 bits",
                "--crt", pki.p("weak.crt"), "--key", pki.p("weak.key"), "--chain", pki.p("ca.crt"));
        assertRefused("--crt: 'CN=localhost' is signed with SHA1withRSA: SHA-256 or stronger is required",
                "--crt", pki.p("sha1.crt"), "--key", pki.p("sha1.key"), "--chain", pki.p("ca.crt"));
        assertRefused("--crt: the certificate expired on 2020-02-01T00:00:00Z",
                "--crt", pki.p("expired.crt"), "--key", pki.p("good.key"), "--chain", pki.p("ca.crt"));
        assertRefused("--key: the private key does not belong to the certificate",
                "--crt", pki.p("good.crt"), "--key", pki.p("other.key"), "--chain", pki.p("ca.crt"));
        pki.write("wrong-order.pem", pki.read("ca.crt") + pki.read("inter.crt"));
        assertRefused("--chain: the chain is not in order: certificate 2 ('CN=Test Root CA') did not issue 'CN=localhost'",
                "--crt", pki.p("chained.crt"), "--key", pki.p("chained.key"), "--chain", pki.p("wrong-order.pem"));
        assertRefused("--pass: the passphrase does not decrypt the private key",
                "--crt", pki.p("good.crt"), "--key", pki.p("good-enc.key"), "--pass", "wrong", "--passphrase-set", "true");
        assertRefused("--pass: the private key is encrypted: its passphrase is required",
                "--crt", pki.p("good.crt"), "--key", pki.p("good-enc.key"));
        assertRefused("--passphrase-set true says the key is encrypted: give its passphrase with --pass",
                "--crt", pki.p("good.crt"), "--key", pki.p("good-enc.key"), "--passphrase-set", "true");
        assertRefused("--crt: cannot be read as an X.509 certificate",
                "--crt", pki.p("good.key"), "--key", pki.p("good.key"));
        assertRefused("--chain: no such file", "--crt", pki.p("good.crt"), "--key", pki.p("good.key"),
                "--chain", pki.p("missing.pem"));
        assertEquals(selfSigned, OpensslPki.presentedFingerprint(server.port()), "refused imports change nothing");

        assertImported("good.crt", "--crt", pki.p("good.crt"), "--key", pki.p("good.key"), "--chain", pki.p("ca.crt"));
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(stateDir.resolve(StateDir.HTTPS_KEY))));
        assertImported("other.crt", "--crt", pki.p("other.der"), "--key", pki.p("other.key"));
        assertImported("good.crt", "--crt", pki.p("good.crt"), "--key", pki.p("good-enc.key"), "--pass", "key-secret",
                "--passphrase-set", "true", "--chain", pki.p("ca.crt"));
        pki.write("right-order.pem", pki.read("inter.crt") + pki.read("ca.crt"));
        assertImported("chained.crt", "--crt", pki.p("chained.crt"), "--key", pki.p("chained.key"),
                "--chain", pki.p("right-order.pem"));
        assertNotEquals(selfSigned, OpensslPki.presentedFingerprint(server.port()));

        // The whole chain goes out, so a client that trusts only the root accepts the endpoint.
        Cli.Result verified = Cli.run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + server.port(),
                "-CAfile", pki.p("ca.crt"), "-verify_return_error", "-verify_hostname", "localhost"), "Q\n");
        assertTrue(verified.out().contains("Verify return code: 0 (ok)"), verified.all());
    }

    @Test
    void statusEndpointAnswersOverHttpsAndSaysWhenTheSensorIsNotConnected() {
        Cli.Result r = Cli.run(List.of("curl", "-sk", "-w", "\n%{http_code}", "https://127.0.0.1:" + server.port() + "/status"), null);
        assertTrue(r.out().endsWith("503") && r.out().contains("not connected"), r.all());
        Cli.Result other = Cli.run(List.of("curl", "-sk", "-o", "/dev/null", "-w", "%{http_code}",
                "https://127.0.0.1:" + server.port() + "/elsewhere"), null);
        assertEquals("404", other.out());
        Cli.Result tls11 = Cli.run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + server.port(), "-tls1_1"), "Q\n");
        assertTrue(!tls11.out().contains("BEGIN CERTIFICATE"), "TLS 1.1 is refused: " + tls11.all());
    }
}
