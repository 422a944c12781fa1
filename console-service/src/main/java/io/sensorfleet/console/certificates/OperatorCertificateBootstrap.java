package io.sensorfleet.console.certificates;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

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
            KeyPair kp = InternalCa.newKeyPair();
            X509Certificate c = selfSigned(kp, clock);
            write(key, Pem.pkcs8(kp.getPrivate()), "rw-------");
            write(cert, Pem.write(c), "rw-r--r--");
            LOG.warnf("Generated a self-signed operator-plane certificate in %s: NOT FOR PRODUCTION, replace it", dir);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the operator-plane certificate in " + dir, e);
        }
    }

    private static X509Certificate selfSigned(KeyPair kp, Clock clock) throws Exception {
        String host = InetAddress.getLocalHost().getHostName();
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, "SensorFleet (self-signed, not for production)")
                .addRDN(BCStyle.CN, host).build();
        Instant now = clock.instant();
        var b = new JcaX509v3CertificateBuilder(subject, new BigInteger(127, new SecureRandom()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(365))), subject,
                kp.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[]{
                new GeneralName(GeneralName.dNSName, host),
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
    }

    private static void write(Path file, String content, String perms) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(perms)));
        Files.writeString(tmp, content);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
