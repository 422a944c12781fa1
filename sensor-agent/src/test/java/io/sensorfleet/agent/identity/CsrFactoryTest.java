package io.sensorfleet.agent.identity;

import io.sensorfleet.agent.testing.TestCa;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CsrFactoryTest {
    private final CsrFactory factory = new CsrFactory();

    @Test
    void keysAreEcP256() {
        KeyPair keyPair = factory.newKeyPair();

        assertEquals("EC", keyPair.getPublic().getAlgorithm());
        assertEquals(256, ((ECPublicKey) keyPair.getPublic()).getParams().getCurve().getField().getFieldSize());
    }

    @Test
    void csrCarriesOnlyThePublicKeyAndIsSignedWithItsPartner() throws Exception {
        KeyPair keyPair = factory.newKeyPair();

        String pem = factory.csrPem(keyPair);

        assertTrue(pem.startsWith("-----BEGIN CERTIFICATE REQUEST-----\n"));
        byte[] der = TestCa.der(pem);
        JcaPKCS10CertificationRequest csr = new JcaPKCS10CertificationRequest(der);
        assertArrayEquals(keyPair.getPublic().getEncoded(), csr.getPublicKey().getEncoded());
        assertTrue(csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(csr.getSubjectPublicKeyInfo())));
        assertEquals(0, csr.getAttributes().length, "no extensions or challenge: the console decides them");
        String scalar = HexFormat.of().formatHex(((ECPrivateKey) keyPair.getPrivate()).getS().toByteArray());
        assertFalse(HexFormat.of().formatHex(der).contains(scalar.substring(scalar.length() - 32)));
    }
}
