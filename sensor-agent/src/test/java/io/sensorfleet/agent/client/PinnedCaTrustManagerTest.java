package io.sensorfleet.agent.client;

import io.sensorfleet.agent.testing.TestCa;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PinnedCaTrustManagerTest {
    private static final String AUTH_TYPE = "ECDHE_ECDSA";
    private static TestCa consoleCa;
    private static TestCa otherCa;

    @BeforeAll
    static void cas() {
        consoleCa = TestCa.create("Console CA");
        otherCa = TestCa.create("Other CA");
    }

    @Test
    void acceptsServerChainingToThePinnedCa() {
        X509Certificate[] chain = {server(consoleCa), consoleCa.certificate()};

        assertDoesNotThrow(() -> new PinnedCaTrustManager(consoleCa.fingerprint()).checkServerTrusted(chain, AUTH_TYPE));
    }

    @Test
    void refusesChainOfAnotherCaNamingBothFingerprints() {
        X509Certificate[] chain = {server(otherCa), otherCa.certificate()};

        CaNotPinnedException e = assertThrows(CaNotPinnedException.class,
                () -> new PinnedCaTrustManager(consoleCa.fingerprint()).checkServerTrusted(chain, AUTH_TYPE));

        assertEquals("presented a CA whose fingerprint " + otherCa.fingerprint()
                + " differs from the connection string's " + consoleCa.fingerprint(), e.getMessage());
    }

    @Test
    void refusesServerOfAnotherCaEvenWhenThePinnedCaIsAppendedToItsChain() {
        X509Certificate[] chain = {server(otherCa), otherCa.certificate(), consoleCa.certificate()};

        CertificateException e = assertThrows(CertificateException.class,
                () -> new PinnedCaTrustManager(consoleCa.fingerprint()).checkServerTrusted(chain, AUTH_TYPE));

        assertFalse(e instanceof CaNotPinnedException, "the pin matched; the PKIX validation must be what refuses");
    }

    @Test
    void refusesServerThatSendsOnlyItsOwnCertificate() {
        X509Certificate[] chain = {server(consoleCa)};

        CertificateException e = assertThrows(CertificateException.class,
                () -> new PinnedCaTrustManager(consoleCa.fingerprint()).checkServerTrusted(chain, AUTH_TYPE));

        assertInstanceOf(CaNotPinnedException.class, e);
    }

    @Test
    void neverTrustsClients() {
        X509Certificate[] chain = {server(consoleCa), consoleCa.certificate()};

        assertThrows(CertificateException.class,
                () -> new PinnedCaTrustManager(consoleCa.fingerprint()).checkClientTrusted(chain, AUTH_TYPE));
    }

    private static X509Certificate server(TestCa ca) {
        KeyPair keys = TestCa.newKeyPair();
        return ca.issueServer(keys.getPublic(), "127.0.0.1");
    }
}
