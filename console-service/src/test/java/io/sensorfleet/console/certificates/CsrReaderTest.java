package io.sensorfleet.console.certificates;

import io.sensorfleet.console.support.TestSensor;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CsrReaderTest {

    @Test
    void aP256RequestSignedByItsOwnKeyYieldsThatKey() {
        KeyPair keys = TestSensor.newKeyPair();

        assertArrayEquals(keys.getPublic().getEncoded(), CsrReader.publicKey(TestSensor.csr(keys)).getEncoded());
    }

    @Test
    void aRequestSignedByAnotherKeyIsRefused() {
        String forged = TestSensor.csr(TestSensor.newKeyPair(), TestSensor.newKeyPair());

        CertificateProblem p = assertThrows(CertificateProblem.class, () -> CsrReader.publicKey(forged));
        assertEquals("the request's signature does not match its public key", p.getMessage());
    }

    @Test
    void keysOtherThanP256AreRefusedByName() {
        CertificateProblem rsa = assertThrows(CertificateProblem.class,
                () -> CsrReader.publicKey(csr("RSA", null, "SHA256withRSA")));
        assertEquals("the sensor key must be EC P-256, got RSA", rsa.getMessage());

        CertificateProblem p384 = assertThrows(CertificateProblem.class,
                () -> CsrReader.publicKey(csr("EC", new ECGenParameterSpec("secp384r1"), "SHA384withECDSA")));
        assertTrue(p384.getMessage().contains("curve P-256"), p384.getMessage());
    }

    @Test
    void aRequestSignedWithEcdsaSha1IsRefused() {
        CertificateProblem p = assertThrows(CertificateProblem.class,
                () -> CsrReader.publicKey(csr("EC", new ECGenParameterSpec("secp256r1"), "SHA1withECDSA")));
        assertTrue(p.getMessage().contains("SHA-256"), p.getMessage());
    }

    @Test
    void garbageIsNotARequest() {
        CertificateProblem p = assertThrows(CertificateProblem.class,
                () -> CsrReader.publicKey("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n"));
        assertTrue(p.getMessage().startsWith("csrPem is not"), p.getMessage());
    }

    private static String csr(String algorithm, ECGenParameterSpec curve, String signature) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
            if (curve != null) {
                g.initialize(curve);
            } else {
                g.initialize(2048);
            }
            KeyPair keys = g.generateKeyPair();
            var req = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=x"), keys.getPublic())
                    .build(new JcaContentSignerBuilder(signature).build(keys.getPrivate()));
            StringWriter out = new StringWriter();
            try (JcaPEMWriter w = new JcaPEMWriter(out)) {
                w.writeObject(req);
            }
            return out.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
