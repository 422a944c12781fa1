package io.sensorfleet.lib.certificates;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CertificateRulesTest {
    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

    private static KeyPair rsa(int bits) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(bits);
        return g.generateKeyPair();
    }

    private static X509Certificate cert(String subject, KeyPair subjectKeys, String issuer, KeyPair issuerKeys,
                                        String algorithm, boolean ca, Instant notAfter) throws Exception {
        var b = new JcaX509v3CertificateBuilder(new X500Name(issuer), BigInteger.valueOf(System.nanoTime()),
                Date.from(NOW.minus(Duration.ofDays(1))), Date.from(notAfter), new X500Name(subject), subjectKeys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder(algorithm).build(issuerKeys.getPrivate())));
    }

    private static CertificateRefusal refusal(CertificateBundle b) {
        return assertThrows(CertificateRefusal.class, () -> CertificateRules.check(b, NOW));
    }

    @Test
    void eachRuleRefusesWithItsOwnMessageAndPart() throws Exception {
        KeyPair root = rsa(2048);
        KeyPair inter = rsa(2048);
        KeyPair leaf = rsa(2048);
        Instant later = NOW.plus(Duration.ofDays(30));
        X509Certificate rootCert = cert("CN=Root", root, "CN=Root", root, "SHA256withRSA", true, later);
        X509Certificate interCert = cert("CN=Inter", inter, "CN=Root", root, "SHA256withRSA", true, later);
        X509Certificate leafCert = cert("CN=leaf", leaf, "CN=Inter", inter, "SHA256withRSA", false, later);

        CertificateRules.check(new CertificateBundle(leafCert, List.of(interCert, rootCert), leaf.getPrivate()), NOW);

        CertificateRefusal mismatch = refusal(new CertificateBundle(leafCert, List.of(), inter.getPrivate()));
        assertEquals(CertificateRefusal.Part.PRIVATE_KEY, mismatch.part());
        assertEquals("the private key does not belong to the certificate", mismatch.getMessage());

        X509Certificate expired = cert("CN=leaf", leaf, "CN=Inter", inter, "SHA256withRSA", false, NOW.minusSeconds(1));
        assertTrue(refusal(new CertificateBundle(expired, List.of(), leaf.getPrivate())).getMessage()
                .startsWith("the certificate expired on "));

        KeyPair weak = rsa(1024);
        X509Certificate weakCert = cert("CN=weak", weak, "CN=Inter", inter, "SHA256withRSA", false, later);
        assertEquals("the certificate has an RSA key of 1024 bits: at least 2048 are required",
                refusal(new CertificateBundle(weakCert, List.of(), weak.getPrivate())).getMessage());

        X509Certificate sha1 = cert("CN=leaf", leaf, "CN=Inter", inter, "SHA1withRSA", false, later);
        assertTrue(refusal(new CertificateBundle(sha1, List.of(), leaf.getPrivate())).getMessage()
                .endsWith("is signed with SHA1withRSA: SHA-256 or stronger is required"));

        CertificateRefusal order = refusal(new CertificateBundle(leafCert, List.of(rootCert, interCert), leaf.getPrivate()));
        assertEquals(CertificateRefusal.Part.CHAIN, order.part());
        assertTrue(order.getMessage().startsWith("the chain is not in order: certificate 2 ('CN=Root') did not issue 'CN=leaf'"),
                order.getMessage());
    }

    @Test
    void partsParseFromPemAndDerAndNameWhatCannotBeRead() throws Exception {
        KeyPair leaf = rsa(2048);
        X509Certificate c = cert("CN=leaf", leaf, "CN=leaf", leaf, "SHA256withRSA", false, NOW.plus(Duration.ofDays(1)));
        String keyPem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(leaf.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        assertEquals(c, CertificateBundle.fromParts(c.getEncoded(), keyPem, null, null).leaf(), "DER");
        String pem = "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder().encodeToString(c.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
        assertEquals(c, CertificateBundle.fromParts(pem.getBytes(StandardCharsets.US_ASCII), keyPem, null, " ".getBytes()).leaf());

        CertificateRefusal notACert = assertThrows(CertificateRefusal.class,
                () -> CertificateBundle.fromParts(keyPem.getBytes(StandardCharsets.US_ASCII), keyPem, null, null));
        assertEquals(CertificateRefusal.Part.CERTIFICATE, notACert.part());
        CertificateRefusal notAKey = assertThrows(CertificateRefusal.class,
                () -> CertificateBundle.fromParts(c.getEncoded(), pem, null, null));
        assertEquals(CertificateRefusal.Part.PRIVATE_KEY, notAKey.part());
    }
}
