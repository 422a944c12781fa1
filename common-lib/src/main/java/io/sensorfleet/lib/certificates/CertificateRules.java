package io.sensorfleet.lib.certificates;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static io.sensorfleet.lib.certificates.CertificateRefusal.Part;

/**
 * The certificate checks that hold wherever a certificate is installed, console or sensor, each
 * failing with its own message, in the order an operator would fix them: key matches, valid now,
 * RSA ≥ 2048 or EC P-256/P-384, SHA-256 or stronger signatures, chain in order (issuer first).
 * What depends on where it is installed (the host names it must cover, a CRL distribution point
 * while validation is on) is checked by the caller.
 */
public final class CertificateRules {
    private CertificateRules() {
    }

    /** @throws CertificateRefusal at the first check that fails */
    public static void check(CertificateBundle b, Instant now) {
        if (!keyMatches(b.key(), b.leaf().getPublicKey())) {
            throw new CertificateRefusal(Part.PRIVATE_KEY, "the private key does not belong to the certificate");
        }
        if (now.isBefore(b.leaf().getNotBefore().toInstant())) {
            throw new CertificateRefusal(Part.CERTIFICATE, "the certificate is not valid before " + b.leaf().getNotBefore().toInstant());
        }
        if (!now.isBefore(b.leaf().getNotAfter().toInstant())) {
            throw new CertificateRefusal(Part.CERTIFICATE, "the certificate expired on " + b.leaf().getNotAfter().toInstant());
        }
        checkKey(b.leaf().getPublicKey());
        List<X509Certificate> all = new ArrayList<>();
        all.add(b.leaf());
        all.addAll(b.chain());
        for (int i = 0; i < all.size(); i++) {
            X509Certificate x = all.get(i);
            String alg = x.getSigAlgName().toUpperCase(Locale.ROOT);
            if (alg.contains("SHA1") || alg.contains("MD5") || alg.contains("MD2")) {
                throw new CertificateRefusal(i == 0 ? Part.CERTIFICATE : Part.CHAIN, "'" + x.getSubjectX500Principal().getName()
                        + "' is signed with " + x.getSigAlgName() + ": SHA-256 or stronger is required");
            }
        }
        for (int i = 0; i + 1 < all.size(); i++) {
            X509Certificate child = all.get(i);
            X509Certificate issuer = all.get(i + 1);
            if (!child.getIssuerX500Principal().equals(issuer.getSubjectX500Principal()) || !signedBy(child, issuer)) {
                throw new CertificateRefusal(Part.CHAIN, "the chain is not in order: certificate " + (i + 2) + " ('"
                        + issuer.getSubjectX500Principal().getName() + "') did not issue '"
                        + child.getSubjectX500Principal().getName() + "'; list the issuer of each certificate right after it");
            }
        }
    }

    /** Whether the private key is the partner of the public key. */
    public static boolean keyMatches(PrivateKey key, PublicKey pub) {
        try {
            if (key instanceof RSAPrivateCrtKey rsa && pub instanceof RSAPublicKey rpub) {
                return rsa.getModulus().equals(rpub.getModulus());
            }
            byte[] probe = {1, 2, 3};
            Signature s = Signature.getInstance(pub instanceof ECPublicKey ? "SHA256withECDSA" : "SHA256withRSA");
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            s.initVerify(pub);
            s.update(probe);
            return s.verify(sig);
        } catch (Exception e) {
            return false;
        }
    }

    /** The http(s)/ldap URIs of the certificate's CRL distribution points, in order; empty when it names none. */
    public static List<String> crlDistributionPoints(X509Certificate c) {
        List<String> out = new ArrayList<>();
        byte[] ext = c.getExtensionValue(Extension.cRLDistributionPoints.getId());
        if (ext == null) {
            return out;
        }
        CRLDistPoint points = CRLDistPoint.getInstance(ASN1OctetString.getInstance(ext).getOctets());
        for (DistributionPoint dp : points.getDistributionPoints()) {
            DistributionPointName name = dp.getDistributionPoint();
            if (name != null && name.getType() == DistributionPointName.FULL_NAME) {
                for (GeneralName g : GeneralNames.getInstance(name.getName()).getNames()) {
                    if (g.getTagNo() == GeneralName.uniformResourceIdentifier) {
                        out.add(g.getName().toString());
                    }
                }
            }
        }
        return out;
    }

    private static void checkKey(PublicKey pub) {
        if (pub instanceof RSAPublicKey rsa) {
            int bits = rsa.getModulus().bitLength();
            if (bits < 2048) {
                throw new CertificateRefusal(Part.CERTIFICATE, "the certificate has an RSA key of " + bits
                        + " bits: at least 2048 are required");
            }
        } else if (pub instanceof ECPublicKey ec) {
            int bits = ec.getParams().getCurve().getField().getFieldSize();
            if (bits != 256 && bits != 384) {
                throw new CertificateRefusal(Part.CERTIFICATE, "the certificate has an EC key on a " + bits
                        + "-bit curve: P-256 or P-384 are accepted");
            }
        } else {
            throw new CertificateRefusal(Part.CERTIFICATE, "the certificate has a " + pub.getAlgorithm()
                    + " key: RSA or EC are accepted");
        }
    }

    private static boolean signedBy(X509Certificate child, X509Certificate issuer) {
        try {
            child.verify(issuer.getPublicKey());
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
