package io.sensorfleet.console.forwarding;

import io.sensorfleet.console.certificates.PeerValidation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * TLS towards receivers (syslog over TLS, https webhooks): the JDK's trust store, plus the CA an
 * admin configured on the action, with host name verification. TLS 1.2 and 1.3 only. While
 * certificate validation is on, receivers' certificates are also checked for expiry and against
 * their CRLs ({@link PeerValidation}); contexts are kept per trust configuration and validation mode.
 */
@ApplicationScoped
class ForwardingTls {
    private record Key(String extraCaPem, boolean validating) {
    }

    private final Map<Key, SSLContext> contexts = new ConcurrentHashMap<>();

    @Inject
    PeerValidation validation;

    /** The certificates in a PEM text. */
    static List<X509Certificate> certificates(String pem) {
        try {
            List<X509Certificate> list = new ArrayList<>();
            for (var c : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.strip().getBytes(StandardCharsets.US_ASCII)))) {
                list.add((X509Certificate) c);
            }
            if (list.isEmpty()) {
                throw new IllegalArgumentException("no certificate found; expected PEM (-----BEGIN CERTIFICATE-----)");
            }
            return list;
        } catch (CertificateException e) {
            throw new IllegalArgumentException("not a PEM X.509 certificate: " + e.getMessage());
        }
    }

    /** Whether connections opened now must validate peers (the setting, as this instance last read it). */
    boolean validating() {
        return validation.enabled();
    }

    /** A connect (or request) timeout extended, when validating, by the time a handshake may spend fetching a CRL. */
    java.time.Duration connectTimeout(java.time.Duration network, boolean validating) {
        return validating ? network.plus(validation.crlAllowance()) : network;
    }

    /** A context trusting the JDK's CAs and, when given, the CA(s) in {@code extraCaPem}. */
    SSLContext context(String extraCaPem, boolean validating) {
        return contexts.computeIfAbsent(new Key(extraCaPem == null ? "" : extraCaPem, validating), this::build);
    }

    static SSLParameters parameters() {
        SSLParameters p = new SSLParameters();
        p.setProtocols(new String[]{"TLSv1.3", "TLSv1.2"});
        p.setEndpointIdentificationAlgorithm("HTTPS");
        return p;
    }

    private SSLContext build(Key key) {
        try {
            KeyStore trust = null;
            if (!key.extraCaPem().isEmpty()) {
                trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                int i = 0;
                for (X509Certificate jdk : trustManager(null).getAcceptedIssuers()) {
                    trust.setCertificateEntry("jdk-" + i++, jdk);
                }
                for (X509Certificate ca : certificates(key.extraCaPem())) {
                    trust.setCertificateEntry("configured-" + i++, ca);
                }
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[]{validation.trustManager(trustManager(trust), key.validating())}, null);
            return ctx;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build the TLS context for forwarding", e);
        }
    }

    /** The JDK's PKIX trust manager over {@code trust} (the JDK's own CAs when null). */
    private static X509ExtendedTrustManager trustManager(KeyStore trust) throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        for (var tm : tmf.getTrustManagers()) {
            if (tm instanceof X509ExtendedTrustManager x) {
                return x;
            }
        }
        throw new IllegalStateException("the JDK has no X.509 trust manager");
    }
}
