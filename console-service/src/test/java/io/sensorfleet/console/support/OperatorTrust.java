package io.sensorfleet.console.support;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;

/** Trusts exactly one certificate: the console's self-signed operator-plane certificate. */
final class OperatorTrust {
    private OperatorTrust() {
    }

    static SSLContext forCertificate(Path pem) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setCertificateEntry("operator", TestSensor.certificate(Files.readString(pem)));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException("cannot trust " + pem, e);
        }
    }
}
