package io.sensorfleet.console.agentplane;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks the client certificates of the agent plane against the internal CA (PKIX, as the TLS
 * stack would), and remembers the certificates that passed. A sensor connects many times with
 * one certificate — idle timeouts, agent restarts, java.net.http's 30 s connection pool — and
 * once the handshake itself runs in BoringSSL, the PKIX validation in Java (an ECDSA verification
 * and the path-building around it) is most of the CPU a handshake costs (docs/benchmarks.md).
 * <p>
 * A remembered certificate is the same bytes, so its signature and extensions are as valid as
 * before; its validity period is still checked at every handshake. Possession of its key is proven
 * by the TLS handshake itself, and revocation is checked on every request ({@link RevocationList}).
 * Failures are not remembered.
 */
final class ClientCertificateTrust extends X509ExtendedTrustManager {
    /** More than any fleet's certificates in use at once; when exceeded the memory starts over. */
    static final int CAPACITY = 200_000;

    /** SHA-256 of a certificate's DER; 32 bytes instead of the whole certificate per entry. */
    private record Fingerprint(ByteBuffer sha256) {
    }

    /** Validity period of an accepted certificate. */
    private record Validity(Instant notBefore, Instant notAfter) {
    }

    private final X509ExtendedTrustManager pkix;
    private final Clock clock;
    private final Map<Fingerprint, Validity> accepted = new ConcurrentHashMap<>();

    ClientCertificateTrust(X509ExtendedTrustManager pkix, Clock clock) {
        this.pkix = pkix;
        this.clock = clock;
    }

    /** Trusts only {@code ca}, with the JDK's PKIX validation for certificates not seen before. */
    static ClientCertificateTrust forCa(X509Certificate ca, Clock clock) {
        return new ClientCertificateTrust(pkix(ca), clock);
    }

    /** The JDK's PKIX validation with {@code ca} as the only anchor. */
    static X509ExtendedTrustManager pkix(X509Certificate ca) {
        try {
            KeyStore anchors = KeyStore.getInstance("PKCS12");
            anchors.load(null, null);
            anchors.setCertificateEntry("sensorfleet-ca", ca);
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(anchors);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager x509) {
                    return x509;
                }
            }
            throw new IllegalStateException("the PKIX trust manager factory made no X509ExtendedTrustManager");
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build the agent plane's trust manager: " + e.getMessage(), e);
        }
    }

    int remembered() {
        return accepted.size();
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        if (knownValid(chain) == null) {
            pkix.checkClientTrusted(chain, authType, engine);
            remember(chain[0]);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        if (knownValid(chain) == null) {
            pkix.checkClientTrusted(chain, authType, socket);
            remember(chain[0]);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (knownValid(chain) == null) {
            pkix.checkClientTrusted(chain, authType);
            remember(chain[0]);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("the agent plane does not connect to servers");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("the agent plane does not connect to servers");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("the agent plane does not connect to servers");
    }

    /** The CA, so the TLS CertificateRequest names it and agents pick their sensor certificate. */
    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return pkix.getAcceptedIssuers();
    }

    /**
     * The leaf's fingerprint when it passed before and is within its validity period now; null
     * when it must be validated in full.
     *
     * @throws CertificateException when a remembered certificate has expired (or is not valid yet)
     */
    private Fingerprint knownValid(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            return null;
        }
        Fingerprint f = fingerprint(chain[0]);
        Validity v = accepted.get(f);
        if (v == null) {
            return null;
        }
        Instant now = clock.instant();
        if (now.isAfter(v.notAfter())) {
            accepted.remove(f);
            throw new CertificateExpiredException("the sensor certificate expired at " + v.notAfter());
        }
        if (now.isBefore(v.notBefore())) {
            throw new CertificateNotYetValidException("the sensor certificate is valid from " + v.notBefore());
        }
        return f;
    }

    private void remember(X509Certificate leaf) throws CertificateEncodingException {
        if (accepted.size() >= CAPACITY) {
            accepted.clear();
        }
        accepted.put(fingerprint(leaf), new Validity(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant()));
    }

    private static Fingerprint fingerprint(X509Certificate certificate) throws CertificateEncodingException {
        try {
            return new Fingerprint(ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded())));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
