package io.sensorfleet.agent.client;

import io.sensorfleet.protocol.v1.enrollment.Fingerprints;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Locale;

/**
 * Trust on first contact without trust-on-first-use: the console is accepted only if the chain it
 * presents contains a certificate whose SHA-256 fingerprint is the one from the connection string
 * AND its server certificate validates (PKIX, host name included) with that certificate as the only
 * trust anchor. Merely appending the right CA to a chain signed by another CA does not pass. So the
 * enrollment token is never sent to a console with another CA: the handshake fails first.
 */
public final class PinnedCaTrustManager extends X509ExtendedTrustManager {
    private final String expectedFingerprint;

    public PinnedCaTrustManager(String expectedFingerprint) {
        this.expectedFingerprint = expectedFingerprint.toLowerCase(Locale.ROOT);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        anchoredBy(chain).checkServerTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        anchoredBy(chain).checkServerTrusted(chain, authType, socket);
    }

    /** Without a connection there is no host name to check; only the pin and the chain are verified. */
    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        anchoredBy(chain).checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("the agent does not accept TLS clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("the agent does not accept TLS clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("the agent does not accept TLS clients");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }

    private X509ExtendedTrustManager anchoredBy(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the console presented no certificate");
        }
        for (X509Certificate certificate : chain) {
            if (fingerprint(certificate).equals(expectedFingerprint)) {
                return AgentTls.trustOnly(certificate);
            }
        }
        throw new CaNotPinnedException(fingerprint(chain[chain.length - 1]), expectedFingerprint, chain.length);
    }

    static String fingerprint(X509Certificate certificate) throws CertificateEncodingException {
        return Fingerprints.sha256Hex(certificate.getEncoded());
    }
}
