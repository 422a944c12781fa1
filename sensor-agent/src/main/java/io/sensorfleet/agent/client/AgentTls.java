package io.sensorfleet.agent.client;

import io.sensorfleet.agent.identity.Credentials;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.io.IOException;

/**
 * The agent's two kinds of TLS client context: before enrollment it trusts only a CA whose
 * fingerprint came in the connection string; after, it presents the sensor certificate and trusts
 * only the stored CA. Neither ever consults the JDK's default trust store.
 */
public final class AgentTls {
    /** TLS 1.2+ only (older versions have known downgrade attacks); the JDK's default cipher suites for them exclude weak ones. */
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    /** Protects an in-memory key store that never touches disk; not a secret. */
    private static final char[] IN_MEMORY = "in-memory".toCharArray();

    private final SecureRandom random;

    public AgentTls(SecureRandom random) {
        this.random = random;
    }

    public AgentTls() {
        this(new SecureRandom());
    }

    /** For enrollment: no client certificate; the server must chain to the CA with this SHA-256 fingerprint. */
    public SSLContext pinned(String caFingerprint) {
        return context(new KeyManager[0], new PinnedCaTrustManager(caFingerprint));
    }

    /** After enrollment: mutual TLS with the sensor's key and certificate, trusting only the stored CA. */
    public SSLContext mutual(Credentials credentials) {
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("sensor", credentials.privateKey(), IN_MEMORY,
                    new Certificate[] {credentials.certificate(), credentials.caCertificate()});
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(keys, IN_MEMORY);
            return context(factory.getKeyManagers(), trustOnly(credentials.caCertificate()));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build the mutual TLS context: " + e.getMessage(), e);
        }
    }

    /** Protocols for every connection to the console. */
    public static SSLParameters parameters() {
        SSLParameters parameters = new SSLParameters();
        parameters.setProtocols(PROTOCOLS.clone());
        return parameters;
    }

    /**
     * A PKIX trust manager whose only anchor is {@code ca}. Used with an SSLEngine it also checks
     * the host name (java.net.http asks for HTTPS endpoint identification).
     */
    public static X509ExtendedTrustManager trustOnly(X509Certificate ca) {
        try {
            KeyStore anchors = KeyStore.getInstance("PKCS12");
            anchors.load(null, null);
            anchors.setCertificateEntry("console-ca", ca);
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(anchors);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager x509) {
                    return x509;
                }
            }
            throw new IllegalStateException("the PKIX trust manager factory made no X509ExtendedTrustManager");
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a trust manager for the console CA: " + e.getMessage(), e);
        }
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
}
