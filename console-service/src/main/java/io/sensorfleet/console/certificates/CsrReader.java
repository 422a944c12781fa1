package io.sensorfleet.console.certificates;

import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

import java.io.IOException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;

/**
 * Reads a sensor's PKCS#10 request and keeps only what the console trusts from it: the public key,
 * after checking the request is signed by the matching private key (proof of possession).
 */
public final class CsrReader {
    private static final int MAX_PEM_LENGTH = 8192;

    private CsrReader() {
    }

    public static PublicKey publicKey(String csrPem) {
        if (csrPem == null || csrPem.isBlank()) {
            throw new CertificateProblem("csrPem is required");
        }
        if (csrPem.length() > MAX_PEM_LENGTH) {
            throw new CertificateProblem("csrPem is longer than " + MAX_PEM_LENGTH + " characters");
        }
        Object parsed;
        try {
            parsed = Pem.read(csrPem);
        } catch (IOException | RuntimeException e) {
            throw new CertificateProblem("csrPem is not a PEM-encoded PKCS#10 request");
        }
        if (!(parsed instanceof PKCS10CertificationRequest req)) {
            throw new CertificateProblem("csrPem is not a PEM-encoded PKCS#10 request");
        }
        try {
            JcaPKCS10CertificationRequest jca = new JcaPKCS10CertificationRequest(req);
            PublicKey key = jca.getPublicKey();
            if (!req.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key))) {
                throw new CertificateProblem("the request's signature does not match its public key");
            }
            requireP256(key);
            return key;
        } catch (CertificateProblem e) {
            throw e;
        } catch (Exception e) {
            throw new CertificateProblem("the request cannot be verified: " + e.getMessage());
        }
    }

    private static void requireP256(PublicKey key) {
        if (!(key instanceof ECPublicKey ec)) {
            throw new CertificateProblem("the sensor key must be EC P-256, got " + key.getAlgorithm());
        }
        var p256 = ECNamedCurveTable.getByName("P-256");
        if (ec.getParams().getCurve().getField().getFieldSize() != 256
                || ec.getParams().getOrder().compareTo(p256.getN()) != 0) {
            throw new CertificateProblem("the sensor key must be on curve P-256");
        }
    }
}
