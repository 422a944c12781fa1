package io.sensorfleet.console.certificates;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.bc.BcECContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

import java.io.IOException;
import java.security.PublicKey;

/**
 * Reads a sensor's PKCS#10 request and keeps only what the console trusts from it: the public key,
 * after checking the request is signed by the matching private key (proof of possession).
 */
public final class CsrReader {
    private static final int MAX_PEM_LENGTH = 8192;
    private static final BcECContentVerifierProviderBuilder VERIFIERS =
            new BcECContentVerifierProviderBuilder(new DefaultDigestAlgorithmIdentifierFinder());

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
            SubjectPublicKeyInfo spki = req.getSubjectPublicKeyInfo();
            requireP256(spki);
            // SHA-1 collisions are practical: a proof of possession signed over SHA-1 proves little.
            if (!STRONG_SIGNATURES.contains(req.getSignatureAlgorithm().getAlgorithm())) {
                throw new CertificateProblem("the request must be signed with ECDSA over SHA-256, SHA-384 or SHA-512");
            }
            // Bouncy Castle's own P-256 arithmetic: several times cheaper than the JDK's here, and
            // enrollment is CPU-bound (docs/benchmarks.md, enrollment burst).
            AsymmetricKeyParameter key = PublicKeyFactory.createKey(spki);
            if (!req.isSignatureValid(VERIFIERS.build(key))) {
                throw new CertificateProblem("the request's signature does not match its public key");
            }
            return new JcaPKCS10CertificationRequest(req).getPublicKey();
        } catch (CertificateProblem e) {
            throw e;
        } catch (Exception e) {
            throw new CertificateProblem("the request cannot be verified: " + e.getMessage());
        }
    }

    private static void requireP256(SubjectPublicKeyInfo spki) {
        var algorithm = spki.getAlgorithm();
        if (!X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm.getAlgorithm())) {
            throw new CertificateProblem("the sensor key must be EC P-256, got " + algorithmName(algorithm.getAlgorithm()));
        }
        if (!X9ObjectIdentifiers.prime256v1.equals(algorithm.getParameters())) {
            throw new CertificateProblem("the sensor key must be on curve P-256 (named curve)");
        }
    }

    private static final java.util.Set<ASN1ObjectIdentifier> STRONG_SIGNATURES = java.util.Set.of(
            X9ObjectIdentifiers.ecdsa_with_SHA256, X9ObjectIdentifiers.ecdsa_with_SHA384, X9ObjectIdentifiers.ecdsa_with_SHA512);

    private static String algorithmName(ASN1ObjectIdentifier oid) {
        return PKCSObjectIdentifiers.rsaEncryption.equals(oid) ? "RSA" : oid.getId();
    }
}
