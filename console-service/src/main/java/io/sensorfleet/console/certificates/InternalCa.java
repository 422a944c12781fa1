package io.sensorfleet.console.certificates;

import io.sensorfleet.console.platform.KeyPairs;
import io.sensorfleet.console.secrets.KeyMaterialStore;
import io.sensorfleet.protocol.v1.enrollment.Fingerprints;
import jakarta.enterprise.context.ApplicationScoped;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.bc.BcECContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * The console's internal CA for the agent plane (EC P-256). Created once, at the first start of
 * the first instance; its private key is stored sealed in the database so every instance signs
 * with the same CA. The CA alone decides subject, SANs and lifetime of what it issues: a CSR
 * contributes only its public key.
 */
@ApplicationScoped
public class InternalCa {
    static final String KEY_NAME = "agent-ca";
    private static final String SIGNATURE = "SHA256withECDSA";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AlgorithmIdentifier SIGNATURE_ID =
            new DefaultSignatureAlgorithmIdentifierFinder().find(SIGNATURE);
    private static final AlgorithmIdentifier DIGEST_ID = new DefaultDigestAlgorithmIdentifierFinder().find(SIGNATURE_ID);

    /** One certificate the CA issued. */
    public record Issued(X509Certificate certificate, String pem, BigInteger serial) {
    }

    /** One entry of the CRL. */
    public record Revoked(BigInteger serial, Instant revokedAt) {
    }

    private final KeyMaterialStore store;
    private final Clock clock;

    InternalCa(KeyMaterialStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    private volatile X509Certificate caCert;
    private volatile String caPem;
    private volatile PrivateKey caKey;
    // Derived once from the CA when it is loaded (written before caKey, which publishes them).
    private AsymmetricKeyParameter caKeyParameter;
    private X500Name caName;
    private AuthorityKeyIdentifier caKeyIdentifier;

    public X509Certificate certificate() {
        load();
        return caCert;
    }

    public String certificatePem() {
        load();
        return caPem;
    }

    public String fingerprint() {
        try {
            return Fingerprints.sha256Hex(certificate().getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A sensor's client certificate: CN = sensor id, EKU clientAuth. */
    public Issued issueSensorCertificate(UUID sensorId, PublicKey key, Duration lifetime) {
        GeneralNames san = new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier,
                "urn:sensorfleet:sensor:" + sensorId));
        return issue(name(sensorId.toString(), "sensor"), key, lifetime, san, KeyPurposeId.id_kp_clientAuth);
    }

    /** A console instance's agent-plane server certificate for the given host names and addresses. */
    public Issued issueServerCertificate(Collection<String> hosts, PublicKey key, Duration lifetime) {
        GeneralName[] names = hosts.stream().distinct().map(InternalCa::generalName).toArray(GeneralName[]::new);
        return issue(name("sensorfleet-console-agent-plane", "console"), key, lifetime, new GeneralNames(names),
                KeyPurposeId.id_kp_serverAuth);
    }

    /** The current CRL, DER, valid for {@code validity}. */
    public byte[] crl(List<Revoked> revoked, Duration validity) {
        load();
        try {
            Instant now = clock.instant();
            X509v2CRLBuilder b = new X509v2CRLBuilder(X500Name.getInstance(caCert.getSubjectX500Principal().getEncoded()),
                    Date.from(now));
            b.setNextUpdate(Date.from(now.plus(validity)));
            for (Revoked r : revoked) {
                b.addCRLEntry(r.serial(), Date.from(r.revokedAt()), CRLReason.cessationOfOperation);
            }
            b.addExtension(Extension.authorityKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(caCert));
            X509CRLHolder holder = b.build(signer(caKey));
            return holder.getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException("cannot build the CRL", e);
        }
    }

    private Issued issue(X500Name subject, PublicKey key, Duration lifetime, GeneralNames san, KeyPurposeId purpose) {
        load();
        try {
            Instant now = clock.instant();
            BigInteger serial = new BigInteger(127, RANDOM).setBit(126);
            // Backdated a little so a sensor whose clock runs slightly behind accepts it at once.
            Instant notBefore = now.minus(Duration.ofMinutes(5));
            X509v3CertificateBuilder b = new X509v3CertificateBuilder(caName, serial, Date.from(notBefore),
                    Date.from(now.plus(lifetime)), subject, SubjectPublicKeyInfo.getInstance(key.getEncoded()));
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            b.addExtension(Extension.subjectAlternativeName, false, san);
            b.addExtension(Extension.subjectKeyIdentifier, false, new JcaX509ExtensionUtils().createSubjectKeyIdentifier(key));
            b.addExtension(Extension.authorityKeyIdentifier, false, caKeyIdentifier);
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(b.build(fastSigner()));
            return new Issued(cert, Pem.write(cert), serial);
        } catch (Exception e) {
            throw new IllegalStateException("the CA cannot issue a certificate", e);
        }
    }

    /*
     * Bouncy Castle's own P-256 arithmetic for what the CA issues: several times cheaper than the
     * JDK's on this kind of machine (the JDK's ECDSA was 12 % of the console's CPU in an enrollment
     * burst), the same signature. The CRL and the CA's own certificate keep the JCA signer.
     */
    private ContentSigner fastSigner() throws OperatorCreationException {
        return new BcECContentSignerBuilder(SIGNATURE_ID, DIGEST_ID).build(caKeyParameter);
    }

    private void load() {
        if (caKey != null) {
            return;
        }
        synchronized (this) {
            if (caKey != null) {
                return;
            }
            KeyMaterialStore.Opened opened = store.getOrCreate(KEY_NAME, this::createCa);
            try {
                X509Certificate cert = Pem.certificate(opened.publicPem());
                PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(opened.privatePlain()));
                caKeyParameter = PrivateKeyFactory.createKey(opened.privatePlain());
                caName = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
                caKeyIdentifier = new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(cert);
                caPem = opened.publicPem();
                caCert = cert;
                caKey = key;
            } catch (GeneralSecurityException | java.io.IOException e) {
                throw new IllegalStateException("stored CA key cannot be read", e);
            }
        }
    }

    private KeyMaterialStore.Generated createCa() {
        try {
            KeyPair kp = KeyPairs.newEcP256();
            Instant now = clock.instant();
            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                    .addRDN(BCStyle.O, "SensorFleet")
                    .addRDN(BCStyle.CN, "SensorFleet agent CA " + UUID.randomUUID().toString().substring(0, 8))
                    .build();
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, new BigInteger(127, RANDOM),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(3650))), subject,
                    kp.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(b.build(signer(kp.getPrivate())));
            return new KeyMaterialStore.Generated(Pem.write(cert), kp.getPrivate().getEncoded());
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the internal CA", e);
        }
    }

    private static X500Name name(String cn, String ou) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "SensorFleet").addRDN(BCStyle.OU, ou)
                .addRDN(BCStyle.CN, cn).build();
    }

    private static GeneralName generalName(String host) {
        boolean ip = host.matches("[0-9.]+") || host.contains(":");
        if (ip) {
            try {
                return new GeneralName(GeneralName.iPAddress,
                        new org.bouncycastle.asn1.DEROctetString(InetAddress.getByName(host).getAddress()));
            } catch (java.net.UnknownHostException e) {
                throw new IllegalArgumentException("not an IP address: " + host, e);
            }
        }
        return new GeneralName(GeneralName.dNSName, host);
    }

    private static ContentSigner signer(PrivateKey key) throws OperatorCreationException {
        return new JcaContentSignerBuilder(SIGNATURE).build(key);
    }
}
