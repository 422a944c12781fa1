package io.sensorfleet.console.agentplane;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.math.BigInteger;
import java.net.Socket;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ClientCertificateTrustTest {
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static KeyPair caKeys;
    private static X509Certificate ca;

    @BeforeAll
    static void ca() throws Exception {
        caKeys = keys();
        ca = certificate("CN=test CA", caKeys, caKeys, null, NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(365)));
    }

    private static KeyPair keys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static X509Certificate certificate(String subject, KeyPair subjectKeys, KeyPair issuerKeys,
                                               X509Certificate issuer, Instant from, Instant to) throws Exception {
        X500Name name = new X500Name(subject);
        X509v3CertificateBuilder b = issuer == null
                ? new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(System.nanoTime()), Date.from(from), Date.from(to),
                name, subjectKeys.getPublic())
                : new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(System.nanoTime()), Date.from(from),
                Date.from(to), name, subjectKeys.getPublic());
        if (issuer == null) {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } else {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
        }
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
    }

    private static X509Certificate sensor(Instant from, Instant to) throws Exception {
        return certificate("CN=sensor,OU=sensor", keys(), caKeys, ca, from, to);
    }

    /** The JDK's PKIX validation for the CA, counting how often it is asked. */
    private static final class Counting extends X509ExtendedTrustManager {
        final AtomicInteger calls = new AtomicInteger();
        final X509ExtendedTrustManager real;

        Counting(X509ExtendedTrustManager real) {
            this.real = real;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            calls.incrementAndGet();
            real.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            calls.incrementAndGet();
            real.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            calls.incrementAndGet();
            real.checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return real.getAcceptedIssuers();
        }
    }

    private static Counting pkix() {
        return new Counting(ClientCertificateTrust.pkix(ca));
    }

    @Test
    void aCertificateFromTheCaIsValidatedOnceAndThenRecognised() throws Exception {
        Counting pkix = pkix();
        ClientCertificateTrust trust = new ClientCertificateTrust(pkix, Clock.systemUTC());
        X509Certificate[] chain = {sensor(NOW.minus(Duration.ofMinutes(5)), NOW.plus(Duration.ofDays(30))), ca};

        trust.checkClientTrusted(chain, "EC");
        trust.checkClientTrusted(chain, "EC");
        trust.checkClientTrusted(chain, "EC");

        assertEquals(1, pkix.calls.get(), "full validation only the first time");
        assertEquals(1, trust.remembered());
    }

    @Test
    void aCertificateFromAnotherCaIsRefusedEveryTimeAndNotRemembered() throws Exception {
        Counting pkix = pkix();
        ClientCertificateTrust trust = new ClientCertificateTrust(pkix, Clock.systemUTC());
        KeyPair otherKeys = keys();
        X509Certificate other = certificate("CN=other CA", otherKeys, otherKeys, null, NOW.minus(Duration.ofDays(1)),
                NOW.plus(Duration.ofDays(1)));
        X509Certificate[] chain = {certificate("CN=intruder", keys(), otherKeys, other, NOW.minus(Duration.ofDays(1)),
                NOW.plus(Duration.ofDays(1))), other};

        assertThrows(CertificateException.class, () -> trust.checkClientTrusted(chain, "EC"));
        assertThrows(CertificateException.class, () -> trust.checkClientTrusted(chain, "EC"));

        assertEquals(2, pkix.calls.get());
        assertEquals(0, trust.remembered());
    }

    @Test
    void aRememberedCertificateIsRefusedOnceItHasExpired() throws Exception {
        X509Certificate shortLived = sensor(NOW.minus(Duration.ofMinutes(5)), NOW.plus(Duration.ofHours(1)));
        X509Certificate[] chain = {shortLived, ca};
        Clock[] clock = {Clock.fixed(NOW, ZoneOffset.UTC)};
        ClientCertificateTrust trust = new ClientCertificateTrust(pkix(), new Clock() {
            @Override
            public Instant instant() {
                return clock[0].instant();
            }

            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }
        });
        trust.checkClientTrusted(chain, "EC");

        clock[0] = Clock.fixed(NOW.plus(Duration.ofHours(2)), ZoneOffset.UTC);

        assertThrows(CertificateExpiredException.class, () -> trust.checkClientTrusted(chain, "EC"));
        assertEquals(0, trust.remembered(), "an expired certificate is forgotten");
    }

    @Test
    void namesTheCaAsAcceptedIssuerAndActsAsNoClient() throws Exception {
        ClientCertificateTrust trust = ClientCertificateTrust.forCa(ca, Clock.systemUTC());

        assertEquals(ca, trust.getAcceptedIssuers()[0]);
        assertThrows(CertificateException.class, () -> trust.checkServerTrusted(new X509Certificate[] {ca}, "EC"));
        assertDoesNotThrow(() -> trust.checkClientTrusted(
                new X509Certificate[] {sensor(NOW.minus(Duration.ofMinutes(1)), NOW.plus(Duration.ofDays(1))), ca}, "EC"));
    }
}
