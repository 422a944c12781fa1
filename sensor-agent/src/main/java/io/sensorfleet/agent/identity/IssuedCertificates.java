package io.sensorfleet.agent.identity;

import io.sensorfleet.agent.AgentException;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;

/**
 * Checks what the console issued before the agent stores it: a certificate for another key or from
 * another CA would lock the sensor out at the next restart, so it is refused up front.
 */
public final class IssuedCertificates {
    private IssuedCertificates() {
    }

    /**
     * @return the sensor's certificate (the first of {@code certificatePem})
     * @throws AgentException naming what is wrong
     */
    public static X509Certificate verify(String certificatePem, PublicKey expectedKey, X509Certificate ca,
                                         Instant now) {
        X509Certificate certificate;
        try {
            certificate = Pem.readCertificate(certificatePem);
        } catch (CertificateException e) {
            throw new AgentException("the console returned an unreadable certificate: " + e.getMessage(), e);
        }
        if (!Arrays.equals(certificate.getPublicKey().getEncoded(), expectedKey.getEncoded())) {
            throw new AgentException("the console returned a certificate for another key than the one this sensor generated");
        }
        try {
            certificate.verify(ca.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new AgentException("the console returned a certificate not signed by its CA "
                    + ca.getSubjectX500Principal() + ": " + e.getMessage(), e);
        }
        if (!certificate.getNotAfter().toInstant().isAfter(now)) {
            throw new AgentException("the console returned a certificate that expired at "
                    + certificate.getNotAfter().toInstant());
        }
        return certificate;
    }

    /** Whether the private key is the partner of the public key, proven by a signature. */
    public static boolean belongTogether(PrivateKey privateKey, PublicKey publicKey) {
        try {
            byte[] probe = "sensorfleet key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(privateKey);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
