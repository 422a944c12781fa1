package io.sensorfleet.simulator;

import io.sensorfleet.agent.client.AgentTls;
import io.sensorfleet.agent.client.PinnedCaTrustManager;
import io.sensorfleet.protocol.v1.enrollment.Fingerprints;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * TLS contexts for many sensors in one JVM, the agent's trust rules unchanged: enrollment pinned to
 * the connection string's CA fingerprint (as {@link PinnedCaTrustManager} does), then mutual TLS
 * trusting only the console CA ({@link AgentTls#trustOnly}).
 * <p>
 * What can be shared is: one pinned context per fingerprint (it holds no client key), one trust
 * manager per CA, one random source. Each sensor still gets its own mutual context — a shared one
 * would share its TLS session cache, and a resumed session would present another sensor's
 * certificate. Its key manager is a plain holder instead of a PKCS#12 key store per sensor.
 */
final class SensorTls {
    private final SecureRandom random = new SecureRandom();
    private final Map<String, SSLContext> pinned = new ConcurrentHashMap<>();
    private final Map<X509Certificate, X509ExtendedTrustManager> trust = new ConcurrentHashMap<>();

    SSLContext pinned(String caFingerprint) {
        return pinned.computeIfAbsent(caFingerprint, f -> context(new KeyManager[0], new CachedPin(f)));
    }

    SSLContext mutual(SimulatedIdentity identity) {
        return mutual(identity.privateKey(), identity.certificate(), identity.caCertificate());
    }

    SSLContext mutual(PrivateKey key, X509Certificate certificate, X509Certificate ca) {
        X509ExtendedTrustManager trustManager = trust.computeIfAbsent(ca, AgentTls::trustOnly);
        return context(new KeyManager[] {new OneKey(key, new X509Certificate[] {certificate, ca})}, trustManager);
    }

    private SSLContext context(KeyManager[] keyManagers, TrustManager trustManager) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers, new TrustManager[] {trustManager}, random);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot initialise TLS: " + e.getMessage(), e);
        }
    }

    /**
     * The check of {@link PinnedCaTrustManager} — the chain must hold a certificate with the pinned
     * fingerprint and validate (PKIX, host name) with it as the only anchor — with the PKIX trust
     * manager for that certificate built once instead of at every handshake: thousands of
     * enrollments from one JVM would otherwise spend their CPU building key stores.
     */
    private final class CachedPin extends X509ExtendedTrustManager {
        private final String fingerprint;

        CachedPin(String fingerprint) {
            this.fingerprint = fingerprint;
        }

        private X509ExtendedTrustManager anchoredBy(X509Certificate[] chain) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("the console presented no certificate");
            }
            for (X509Certificate c : chain) {
                if (Fingerprints.sha256Hex(c.getEncoded()).equals(fingerprint)) {
                    return trust.computeIfAbsent(c, AgentTls::trustOnly);
                }
            }
            throw new CertificateException("the console's chain holds no CA with the pinned fingerprint " + fingerprint);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            anchoredBy(chain).checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            anchoredBy(chain).checkServerTrusted(chain, authType, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            anchoredBy(chain).checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("the agent does not accept TLS clients");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
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
    }

    /** The sensor's one key and chain, offered for EC key types only (the only kind the console issues). */
    private static final class OneKey extends X509ExtendedKeyManager {
        private static final String ALIAS = "sensor";
        private final PrivateKey key;
        private final X509Certificate[] chain;

        OneKey(PrivateKey key, X509Certificate[] chain) {
            this.key = key;
            this.chain = chain;
        }

        private String alias(String[] keyTypes) {
            return keyTypes != null && Arrays.asList(keyTypes).contains(key.getAlgorithm()) ? ALIAS : null;
        }

        @Override
        public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
            return alias(keyTypes);
        }

        @Override
        public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
            return alias(keyTypes);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return alias(new String[] {keyType}) == null ? null : new String[] {ALIAS};
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return ALIAS.equals(alias) ? chain.clone() : null;
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return ALIAS.equals(alias) ? key : null;
        }
    }
}
