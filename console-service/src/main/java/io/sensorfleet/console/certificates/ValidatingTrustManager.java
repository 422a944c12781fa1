package io.sensorfleet.console.certificates;

import io.sensorfleet.lib.certificates.CertificateRules;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * The console as a TLS client with certificate validation on (seed: "Enable certificate
 * validation"): the peer's chain is checked as usual by the JDK, and then each certificate in it
 * for expiry and against the CRL of its distribution point. A certificate that names no
 * distribution point is not checked for revocation (how an operator opts out of revocation checks). Any failure
 * ends the handshake with a {@link PeerCertificateException} saying what and which peer.
 */
final class ValidatingTrustManager extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager chain;
    private final CrlCache crls;
    private final Clock clock;

    ValidatingTrustManager(X509ExtendedTrustManager chain, CrlCache crls, Clock clock) {
        this.chain = chain;
        this.crls = crls;
        this.clock = clock;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certs, String authType, SSLEngine engine) throws CertificateException {
        String host = engine == null ? null : engine.getPeerHost();
        expiry(certs, host);
        chain.checkServerTrusted(certs, authType, engine);
        revocation(certs, host);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certs, String authType, Socket socket) throws CertificateException {
        String host = socket instanceof SSLSocket s && s.getHandshakeSession() != null ? s.getHandshakeSession().getPeerHost() : null;
        expiry(certs, host);
        chain.checkServerTrusted(certs, authType, socket);
        revocation(certs, host);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certs, String authType) throws CertificateException {
        expiry(certs, null);
        chain.checkServerTrusted(certs, authType);
        revocation(certs, null);
    }

    private void expiry(X509Certificate[] certs, String host) throws PeerCertificateException {
        Instant now = clock.instant();
        for (int i = 0; i < certs.length; i++) {
            X509Certificate c = certs[i];
            if (!now.isBefore(c.getNotAfter().toInstant())) {
                throw new PeerCertificateException(which(certs, i, host) + " expired on " + c.getNotAfter().toInstant());
            }
            if (now.isBefore(c.getNotBefore().toInstant())) {
                throw new PeerCertificateException(which(certs, i, host) + " is not valid before " + c.getNotBefore().toInstant());
            }
        }
    }

    private void revocation(X509Certificate[] certs, String host) throws PeerCertificateException {
        for (int i = 0; i < certs.length; i++) {
            X509Certificate c = certs[i];
            List<String> urls = CertificateRules.crlDistributionPoints(c);
            if (urls.isEmpty()) {
                continue;
            }
            X509Certificate issuer = issuer(certs, i);
            if (issuer == null) {
                throw new PeerCertificateException(which(certs, i, host) + " cannot be checked for revocation: its issuer '"
                        + c.getIssuerX500Principal().getName() + "' is not known");
            }
            String failures = null;
            boolean checked = false;
            for (String url : urls) {
                X509CRL crl;
                try {
                    crl = crls.get(url);
                } catch (CrlCache.Unavailable e) {
                    failures = (failures == null ? "" : failures + "; ") + "CRL " + url + " " + e.getMessage();
                    continue;
                }
                try {
                    crl.verify(issuer.getPublicKey());
                } catch (GeneralSecurityException e) {
                    failures = (failures == null ? "" : failures + "; ") + "CRL " + url + " is not signed by '"
                            + issuer.getSubjectX500Principal().getName() + "'";
                    continue;
                }
                if (crl.isRevoked(c)) {
                    throw new PeerCertificateException(which(certs, i, host) + " is revoked (CRL " + url + ")");
                }
                checked = true;
                break;
            }
            if (!checked) {
                throw new PeerCertificateException(which(certs, i, host) + " cannot be checked for revocation: " + failures);
            }
        }
    }

    /** The certificate that issued {@code certs[i]}: the next in the chain, else one of the trusted CAs. */
    private X509Certificate issuer(X509Certificate[] certs, int i) {
        X509Certificate c = certs[i];
        if (i + 1 < certs.length && certs[i + 1].getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
            return certs[i + 1];
        }
        for (X509Certificate anchor : chain.getAcceptedIssuers()) {
            if (anchor.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
                try {
                    c.verify(anchor.getPublicKey());
                    return anchor;
                } catch (GeneralSecurityException e) {
                    // same name, other key: keep looking
                }
            }
        }
        return null;
    }

    private static String which(X509Certificate[] certs, int i, String host) {
        String peer = host == null ? "the peer" : host;
        return i == 0 ? "certificate of " + peer
                : "certificate '" + certs[i].getSubjectX500Principal().getName() + "' in the chain of " + peer;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certs, String authType, Socket socket) throws CertificateException {
        chain.checkClientTrusted(certs, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certs, String authType, SSLEngine engine) throws CertificateException {
        chain.checkClientTrusted(certs, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certs, String authType) throws CertificateException {
        chain.checkClientTrusted(certs, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return chain.getAcceptedIssuers();
    }
}
