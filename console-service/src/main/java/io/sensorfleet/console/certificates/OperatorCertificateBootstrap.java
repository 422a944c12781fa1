package io.sensorfleet.console.certificates;

import io.sensorfleet.console.platform.KeyPairs;
import io.sensorfleet.lib.certificates.SelfSigned;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;

/**
 * Gives the operator plane a certificate at first start: self-signed, marked "not for production"
 * in its subject, valid for a year, written to {@code <data-dir>/tls/}. An administrator replaces it
 * with a real one (see the certificates guide). Runs from the console's main method, before
 * Quarkus starts: the HTTPS listener's key store is validated early in start-up.
 */
public final class OperatorCertificateBootstrap {
    private static final Logger LOG = Logger.getLogger(OperatorCertificateBootstrap.class);

    private OperatorCertificateBootstrap() {
    }

    /** Creates {@code operator-cert.pem} and {@code operator-key.pem} in {@code dir} unless both exist. */
    public static void ensure(Path dir, Clock clock) {
        Path cert = dir.resolve("operator-cert.pem");
        Path key = dir.resolve("operator-key.pem");
        if (Files.exists(cert) && Files.exists(key)) {
            return;
        }
        try {
            Files.createDirectories(dir);
            KeyPair kp = KeyPairs.newEcP256();
            X509Certificate c = selfSigned(kp, clock);
            write(key, Pem.pkcs8(kp.getPrivate()), "rw-------");
            write(cert, Pem.write(c), "rw-r--r--");
            LOG.warnf("Generated a self-signed operator-plane certificate in %s: NOT FOR PRODUCTION, replace it", dir);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the operator-plane certificate in " + dir, e);
        }
    }

    private static X509Certificate selfSigned(KeyPair kp, Clock clock) throws Exception {
        return SelfSigned.serverCertificate(kp, "SensorFleet", InetAddress.getLocalHost().getHostName(), clock.instant(),
                Duration.ofDays(365));
    }

    private static void write(Path file, String content, String perms) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(perms)));
        Files.writeString(tmp, content);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
