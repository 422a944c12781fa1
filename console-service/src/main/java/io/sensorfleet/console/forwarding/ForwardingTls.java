package io.sensorfleet.console.forwarding;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
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
 * admin configured on the action, with host name verification. TLS 1.2 and 1.3 only.
 */
final class ForwardingTls {
    private static final Map<String, SSLContext> CONTEXTS = new ConcurrentHashMap<>();

    private ForwardingTls() {
    }

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

    /** A context trusting the JDK's CAs and, when given, the CA(s) in {@code extraCaPem}. */
    static SSLContext context(String extraCaPem) {
        return CONTEXTS.computeIfAbsent(extraCaPem == null ? "" : extraCaPem, ForwardingTls::build);
    }

    static SSLParameters parameters() {
        SSLParameters p = new SSLParameters();
        p.setProtocols(new String[]{"TLSv1.3", "TLSv1.2"});
        p.setEndpointIdentificationAlgorithm("HTTPS");
        return p;
    }

    private static SSLContext build(String extraCaPem) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            if (extraCaPem.isEmpty()) {
                ctx.init(null, null, null);
                return ctx;
            }
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            int i = 0;
            for (X509Certificate jdk : defaultTrustManager().getAcceptedIssuers()) {
                trust.setCertificateEntry("jdk-" + i++, jdk);
            }
            for (X509Certificate ca : certificates(extraCaPem)) {
                trust.setCertificateEntry("configured-" + i++, ca);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build the TLS context for forwarding", e);
        }
    }

    private static X509TrustManager defaultTrustManager() throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        for (var tm : tmf.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                return x;
            }
        }
        throw new IllegalStateException("the JDK has no X.509 trust manager");
    }
}
