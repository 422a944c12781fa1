package io.sensorfleet.console.e2e;

import io.sensorfleet.console.support.ConsoleCluster;
import io.sensorfleet.console.support.ConsoleProcess;
import io.sensorfleet.console.support.OpensslPki;
import io.sensorfleet.console.support.TestSensor;
import io.sensorfleet.protocol.v1.enrollment.Fingerprints;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.sensorfleet.console.support.TestSensor.JSON;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Operator certificates made with the openssl command line, uploaded to the packaged console;
 * what the console then presents is read back with openssl s_client.
 */
class OperatorCertificateIT {
    static ConsoleCluster cluster;
    static ConsoleProcess console;
    static OpensslPki pki;
    static Path d;

    @BeforeAll
    static void start() throws Exception {
        cluster = ConsoleCluster.start(1);
        console = cluster.console(0);
        pki = OpensslPki.create("opcert-");
        d = pki.dir();
        pki.intermediate("inter");
        pki.write("leaf.ext", "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                + "crlDistributionPoints=URI:http://127.0.0.1:9/test.crl\n");
        pki.write("nocrl.ext", "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        pki.write("othername.ext", "subjectAltName=DNS:elsewhere.example\n"
                + "crlDistributionPoints=URI:http://127.0.0.1:9/test.crl\n");
        pki.leaf("leaf", 2048, "-sha256", "leaf.ext", "ca");
        pki.leaf("weak", 1024, "-sha256", "leaf.ext", "ca");
        pki.leaf("sha1", 2048, "-sha1", "leaf.ext", "ca");
        pki.leaf("nocrl", 2048, "-sha256", "nocrl.ext", "ca");
        pki.leaf("othername", 2048, "-sha256", "othername.ext", "ca");
        pki.leaf("chained", 2048, "-sha256", "leaf.ext", "inter");
        pki.openssl("x509", "-in", pki.p("leaf.crt"), "-outform", "DER", "-out", pki.p("leaf.der"));
        pki.openssl("pkcs12", "-export", "-inkey", pki.p("leaf.key"), "-in", pki.p("leaf.crt"), "-certfile", pki.p("ca.crt"),
                "-passout", "pass:p12-secret", "-out", pki.p("leaf.p12"));
        pki.openssl("pkey", "-in", pki.p("leaf.key"), "-aes256", "-passout", "pass:key-secret", "-out", pki.p("leaf-enc.key"));
        pki.caSigned("expired", "leaf", "leaf.ext", "20200101000000Z", "20200201000000Z");
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static String read(String name) {
        return pki.read(name);
    }

    static HttpResponse<String> upload(Map<String, Object> body) throws Exception {
        return console.call("POST", "/api/v1/certificates/operator", body);
    }

    static Map<String, Object> parts(String crt, String key, String chain) throws Exception {
        Map<String, Object> m = new HashMap<>(Map.of("certificate", read(crt), "privateKey", read(key)));
        if (chain != null) {
            m.put("chain", chain);
        }
        return m;
    }

    static void assertRefused(Map<String, Object> body, String expected) throws Exception {
        HttpResponse<String> r = upload(body);
        assertEquals(400, r.statusCode(), r.body());
        String detail = JSON.readTree(r.body()).get("detail").asText();
        assertTrue(detail.contains(expected), "'" + detail + "' should say '" + expected + "'");
    }

    /** SHA-256 of the certificate a fresh TLS connection to the operator port presents, per openssl s_client. */
    static String presented() throws Exception {
        return OpensslPki.presentedFingerprint(console.operatorPort);
    }

    @Test
    void openSslMadeBundlesInEveryFormAreAcceptedAndBadOnesRefusedEachWithItsOwnMessage() throws Exception {
        String before = presented();
        assertRefused(parts("weak.crt", "weak.key", read("ca.crt")), "RSA key of 1024 bits");
        assertRefused(parts("sha1.crt", "sha1.key", read("ca.crt")), "SHA-256 or stronger");
        assertRefused(parts("expired.crt", "leaf.key", read("ca.crt")), "expired on 2020-02-01");
        assertRefused(parts("leaf.crt", "weak.key", read("ca.crt")), "does not belong to the certificate");
        assertRefused(parts("chained.crt", "chained.key", read("ca.crt") + read("inter.crt")), "not in order");
        assertRefused(parts("othername.crt", "othername.key", read("ca.crt")), "none of this console's names");
        assertRefused(parts("nocrl.crt", "nocrl.key", read("ca.crt")), "CRL distribution point");
        assertRefused(Map.of("certificate", read("leaf.crt"), "privateKey", read("leaf-enc.key"), "passphrase", "wrong"),
                "passphrase does not decrypt");
        assertRefused(Map.of("pkcs12", Base64.getEncoder().encodeToString(Files.readAllBytes(d.resolve("leaf.p12"))),
                "password", "wrong"), "wrong password");
        assertEquals(before, presented(), "refused uploads change nothing");

        String leafFingerprint = Fingerprints.sha256Hex(TestSensor.certificate(read("leaf.crt")).getEncoded());
        List<Map<String, Object>> accepted = List.of(
                parts("leaf.crt", "leaf.key", read("ca.crt")),
                Map.of("certificate", Base64.getEncoder().encodeToString(Files.readAllBytes(d.resolve("leaf.der"))),
                        "privateKey", read("leaf.key"), "chain", read("ca.crt")),
                Map.of("pkcs12", Base64.getEncoder().encodeToString(Files.readAllBytes(d.resolve("leaf.p12"))),
                        "password", "p12-secret"),
                Map.of("certificate", read("leaf.crt"), "privateKey", read("leaf-enc.key"), "passphrase", "key-secret",
                        "chain", read("ca.crt")));
        for (Map<String, Object> body : accepted) {
            HttpResponse<String> r = upload(body);
            assertEquals(200, r.statusCode(), r.body());
            console.trustOperatorCa(d.resolve("ca.crt"));
            // No restart: the next TLS handshake already presents the new certificate.
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250))
                    .untilAsserted(() -> assertEquals(leafFingerprint, presented()));
        }
        HttpResponse<String> chained = upload(parts("chained.crt", "chained.key", read("inter.crt") + read("ca.crt")));
        assertEquals(200, chained.statusCode(), chained.body());
        String current = console.call("GET", "/api/v1/certificates/operator", null).body();
        assertTrue(current.contains("crlDistributionPoints") && current.contains("DNS:localhost"), current);
    }

    @Test
    void inspectionDescribesACertificateAndSaysWhetherAKeyMatches() throws Exception {
        console.trustOperatorCa(d.resolve("ca.crt"));
        HttpResponse<String> ok = console.call("POST", "/api/v1/certificates/inspect", parts("weak.crt", "weak.key", null));
        assertEquals(200, ok.statusCode(), ok.body());
        var info = JSON.readTree(ok.body());
        assertEquals("RSA", info.get("keyType").asText());
        assertEquals(1024, info.get("keySize").asInt());
        assertTrue(info.get("keyMatches").asBoolean());
        assertEquals("CN=Test Root CA", info.get("issuer").asText());
        var mismatch = JSON.readTree(console.call("POST", "/api/v1/certificates/inspect",
                parts("weak.crt", "leaf.key", null)).body());
        assertTrue(!mismatch.get("keyMatches").asBoolean());
    }
}
