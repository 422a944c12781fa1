package io.sensorfleet.agent.testing;

import io.sensorfleet.agent.identity.Pem;
import io.sensorfleet.protocol.v1.enrollment.Fingerprints;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.StringReader;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

/** A throw-away certificate authority for tests, made with Bouncy Castle like the console's. */
public final class TestCa {
    private static final char[] PASSWORD = "test".toCharArray();

    private final KeyPair keyPair;
    private final X509Certificate certificate;
    private final AtomicLong serials = new AtomicLong(1000);

    private TestCa(KeyPair keyPair, X509Certificate certificate) {
        this.keyPair = keyPair;
        this.certificate = certificate;
    }

    public static TestCa create(String name) {
        try {
            KeyPair keyPair = newKeyPair();
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            X500Name subject = new X500Name("CN=" + name);
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, BigInteger.ONE,
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(3650))), subject,
                    keyPair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate())));
            return new TestCa(keyPair, certificate);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The DER inside a PEM block. */
    public static byte[] der(String pem) {
        String body = pem.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", "");
        return java.util.Base64.getDecoder().decode(body);
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public String pem() {
        return Pem.certificate(certificate);
    }

    public String fingerprint() {
        try {
            return Fingerprints.sha256Hex(certificate.getEncoded());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A TLS server certificate with the given SANs (IP literals or DNS names), valid from an hour ago for a year. */
    public X509Certificate issueServer(PublicKey key, String... sans) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return issue(key, "console", now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(365)),
                KeyPurposeId.id_kp_serverAuth, sans);
    }

    /** A sensor certificate for the key in a CSR, whose signature is checked first as the console does. */
    public X509Certificate issueFromCsr(String csrPem, String sensorId, Instant notBefore, Instant notAfter) {
        try (PEMParser parser = new PEMParser(new StringReader(csrPem))) {
            JcaPKCS10CertificationRequest csr = new JcaPKCS10CertificationRequest((PKCS10CertificationRequest) parser.readObject());
            if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(csr.getSubjectPublicKeyInfo()))) {
                throw new IllegalArgumentException("CSR signature is invalid");
            }
            return issue(csr.getPublicKey(), sensorId, notBefore, notAfter, KeyPurposeId.id_kp_clientAuth);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public X509Certificate issue(PublicKey key, String commonName, Instant notBefore, Instant notAfter,
                                 KeyPurposeId purpose, String... sans) {
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate,
                    BigInteger.valueOf(serials.incrementAndGet()), Date.from(notBefore), Date.from(notAfter),
                    new X500Name("CN=" + commonName), key)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            if (sans.length > 0) {
                GeneralName[] names = new GeneralName[sans.length];
                for (int i = 0; i < sans.length; i++) {
                    boolean ip = sans[i].matches("[0-9.]+") || sans[i].contains(":");
                    names[i] = new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, sans[i]);
                }
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            }
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A server TLS context presenting [server certificate, this CA] and trusting this CA for client certificates. */
    public SSLContext serverContext(String... sans) {
        try {
            KeyPair serverKeys = newKeyPair();
            X509Certificate server = issueServer(serverKeys.getPublic(), sans);
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("server", serverKeys.getPrivate(), PASSWORD, new Certificate[] {server, certificate});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, PASSWORD);
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry("ca", certificate);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
