package io.sensorfleet.console.certificates;

import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What an operator wants to know about a certificate.
 *
 * @param keyMatches whether the private key given with it belongs to it; null when none was given
 */
public record CertificateInfo(String subject, String issuer, Instant notBefore, Instant notAfter, String keyType,
                              int keySize, String signatureAlgorithm, List<String> subjectAlternativeNames,
                              List<String> crlDistributionPoints, String sha256Fingerprint, Boolean keyMatches) {

    static CertificateInfo of(X509Certificate c, Boolean keyMatches) {
        List<String> sans = new ArrayList<>();
        try {
            if (c.getSubjectAlternativeNames() != null) {
                c.getSubjectAlternativeNames().forEach(n -> sans.add((((Integer) n.get(0)) == 7 ? "IP:" : "DNS:") + n.get(1)));
            }
        } catch (java.security.cert.CertificateParsingException e) {
            sans.add("(unreadable)");
        }
        String type = c.getPublicKey().getAlgorithm();
        int size = c.getPublicKey() instanceof RSAPublicKey r ? r.getModulus().bitLength()
                : c.getPublicKey() instanceof ECPublicKey e ? e.getParams().getCurve().getField().getFieldSize() : 0;
        String fingerprint;
        try {
            fingerprint = io.sensorfleet.protocol.v1.enrollment.Fingerprints.sha256Hex(c.getEncoded());
        } catch (java.security.cert.CertificateEncodingException e) {
            fingerprint = null;
        }
        return new CertificateInfo(c.getSubjectX500Principal().getName(), c.getIssuerX500Principal().getName(),
                c.getNotBefore().toInstant(), c.getNotAfter().toInstant(), type, size, c.getSigAlgName(), sans,
                io.sensorfleet.lib.certificates.CertificateRules.crlDistributionPoints(c), fingerprint, keyMatches);
    }
}
