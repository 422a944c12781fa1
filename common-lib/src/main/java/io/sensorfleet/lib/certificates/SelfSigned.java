package io.sensorfleet.lib.certificates;

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

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * The self-signed HTTPS certificate a console or sensor makes itself until an operator installs
 * one: its organisation name says {@value #MARK}, and it names the host, {@code localhost} and
 * {@code 127.0.0.1}.
 */
public final class SelfSigned {
    /** In the organisation name of every self-signed certificate, so no one mistakes it for a real one. */
    public static final String MARK = "self-signed, not for production";

    private SelfSigned() {
    }

    /**
     * @param product  "SensorFleet", "SensorFleet sensor": the organisation is "{@code product} ({@value #MARK})"
     * @param keyPair  an EC key pair (signed with SHA256withECDSA)
     */
    public static X509Certificate serverCertificate(KeyPair keyPair, String product, String hostname, Instant now,
                                                    Duration lifetime) {
        try {
            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                    .addRDN(BCStyle.O, product + " (" + MARK + ")")
                    .addRDN(BCStyle.CN, hostname).build();
            var b = new JcaX509v3CertificateBuilder(subject, new BigInteger(127, new SecureRandom()),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(lifetime)), subject, keyPair.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[]{
                    new GeneralName(GeneralName.dNSName, hostname),
                    new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException("cannot make a self-signed certificate for " + hostname, e);
        }
    }

    /** Whether {@code c} carries the mark: it was made by {@link #serverCertificate}, not by a CA. */
    public static boolean marked(X509Certificate c) {
        // The organisation's value itself: in the string form of the name its comma comes escaped.
        for (var rdn : X500Name.getInstance(c.getSubjectX500Principal().getEncoded()).getRDNs(BCStyle.O)) {
            if (rdn.getFirst() != null && rdn.getFirst().getValue().toString().contains(MARK)) {
                return true;
            }
        }
        return false;
    }
}
