package io.sensorfleet.console.certificates;

import java.security.cert.CertificateException;

/**
 * A peer's certificate failed the checks of certificate validation (expiry, revocation). The
 * message is what an operator sees on the failed delivery, e.g. "certificate of siem.example is
 * revoked (CRL http://pki.example/ca.crl)".
 */
public class PeerCertificateException extends CertificateException {
    public PeerCertificateException(String message) {
        super(message);
    }
}
