package io.sensorfleet.cli;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

/**
 * Whom the CLI trusts on the console's HTTPS: the certificates of a PEM file given at login (--ca),
 * else the system trust store. Host names are always checked; there is no way to turn checks off.
 */
public final class Tls {
    private Tls() {
    }

    public static SSLContext context(Path caFile) {
        if (caFile == null) {
            try {
                return SSLContext.getDefault();
            } catch (GeneralSecurityException e) {
                throw CliException.unreachable("no TLS: " + e.getMessage());
            }
        }
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate c : read(caFile)) {
                ks.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw CliException.usage("cannot use CA file " + caFile + ": " + e.getMessage());
        }
    }

    /** The certificates of a PEM file; refuses a file that holds none. */
    public static Collection<? extends Certificate> read(Path caFile) throws IOException, GeneralSecurityException {
        if (!Files.isRegularFile(caFile)) {
            throw new IOException("no such file");
        }
        try (InputStream in = Files.newInputStream(caFile)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new IOException("no certificate in it");
            }
            return certs;
        }
    }
}
