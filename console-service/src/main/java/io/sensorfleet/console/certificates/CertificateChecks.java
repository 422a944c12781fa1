package io.sensorfleet.console.certificates;

import io.sensorfleet.console.common.ProblemException;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;

/**
 * The checks of SPEC §3.6 on an uploaded certificate, key and chain, each failing with its own
 * precise message: parseable, key matches, valid now, RSA ≥ 2048 or EC P-256/P-384, SHA-256 or
 * stronger, chain in order (issuer first), name matches the console host, CRL distribution point
 * present when certificate validation is on.
 */
public final class CertificateChecks {
    /** A bundle that passed every check. */
    public record Checked(X509Certificate leaf, List<X509Certificate> chain, PrivateKey key) {
    }

    // Bouncy Castle's own provider: the JDK's lacks some of the PBES2 variants openssl writes.
    private static final java.security.Provider BC = new org.bouncycastle.jce.provider.BouncyCastleProvider();

    private CertificateChecks() {
    }

    /** From separate certificate (PEM or DER), key (PEM, maybe encrypted) and chain (PEM). */
    public static Checked fromParts(byte[] certificate, String keyPem, String passphrase, String chainPem) {
        X509Certificate leaf = certificates(certificate, "certificate").get(0);
        PrivateKey key = privateKey(keyPem, passphrase);
        List<X509Certificate> chain = chainPem == null || chainPem.isBlank() ? List.of()
                : certificates(chainPem.getBytes(StandardCharsets.US_ASCII), "chain");
        return new Checked(leaf, chain, key);
    }

    /** From a PKCS#12 bundle. */
    public static Checked fromPkcs12(byte[] p12, String password) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(new ByteArrayInputStream(p12), password == null ? new char[0] : password.toCharArray());
            Enumeration<String> aliases = ks.aliases();
            while (aliases.hasMoreElements()) {
                String alias = aliases.nextElement();
                if (ks.isKeyEntry(alias)) {
                    PrivateKey key = (PrivateKey) ks.getKey(alias, password == null ? new char[0] : password.toCharArray());
                    java.security.cert.Certificate[] chain = ks.getCertificateChain(alias);
                    List<X509Certificate> rest = new ArrayList<>();
                    for (int i = 1; i < chain.length; i++) {
                        rest.add((X509Certificate) chain[i]);
                    }
                    return new Checked((X509Certificate) chain[0], rest, key);
                }
            }
            throw invalid("pkcs12", "the PKCS#12 bundle holds no private key");
        } catch (ProblemException e) {
            throw e;
        } catch (java.io.IOException e) {
            throw invalid("password", "the PKCS#12 bundle cannot be opened: wrong password or not a PKCS#12 file");
        } catch (Exception e) {
            throw invalid("pkcs12", "the PKCS#12 bundle cannot be read: " + e.getMessage());
        }
    }

    /** Every check, in the order an operator would fix them. */
    public static void check(Checked c, Instant now, Collection<String> consoleNames, boolean requireCrl) {
        if (!matches(c.key(), c.leaf().getPublicKey())) {
            throw invalid("privateKey", "the private key does not belong to the certificate");
        }
        if (now.isBefore(c.leaf().getNotBefore().toInstant())) {
            throw invalid("certificate", "the certificate is not valid before " + c.leaf().getNotBefore().toInstant());
        }
        if (!now.isBefore(c.leaf().getNotAfter().toInstant())) {
            throw invalid("certificate", "the certificate expired on " + c.leaf().getNotAfter().toInstant());
        }
        checkKey(c.leaf().getPublicKey());
        List<X509Certificate> all = new ArrayList<>();
        all.add(c.leaf());
        all.addAll(c.chain());
        for (X509Certificate x : all) {
            String alg = x.getSigAlgName().toUpperCase(Locale.ROOT);
            if (alg.contains("SHA1") || alg.contains("MD5") || alg.contains("MD2")) {
                throw invalid("certificate", "'" + x.getSubjectX500Principal().getName() + "' is signed with "
                        + x.getSigAlgName() + ": SHA-256 or stronger is required");
            }
        }
        for (int i = 0; i + 1 < all.size(); i++) {
            X509Certificate child = all.get(i);
            X509Certificate issuer = all.get(i + 1);
            if (!child.getIssuerX500Principal().equals(issuer.getSubjectX500Principal()) || !signedBy(child, issuer)) {
                throw invalid("chain", "the chain is not in order: certificate " + (i + 2) + " ('"
                        + issuer.getSubjectX500Principal().getName() + "') did not issue '"
                        + child.getSubjectX500Principal().getName() + "'; list the issuer of each certificate right after it");
            }
        }
        if (consoleNames.stream().noneMatch(n -> covers(c.leaf(), n))) {
            throw invalid("certificate", "the certificate names " + CertificateInfo.of(c.leaf(), null).subjectAlternativeNames()
                    + " but none of this console's names " + consoleNames);
        }
        if (requireCrl && crlDistributionPoints(c.leaf()).isEmpty()) {
            throw invalid("certificate", "certificate validation is on, so the certificate must name a CRL "
                    + "distribution point; it names none");
        }
    }

    static List<String> crlDistributionPoints(X509Certificate c) {
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

    static boolean matches(PrivateKey key, PublicKey pub) {
        try {
            if (key instanceof RSAPrivateCrtKey rsa && pub instanceof RSAPublicKey rpub) {
                return rsa.getModulus().equals(rpub.getModulus());
            }
            Signature s = Signature.getInstance(pub instanceof ECPublicKey ? "SHA256withECDSA" : "SHA256withRSA");
            s.initSign(key);
            s.update(new byte[]{1, 2, 3});
            byte[] sig = s.sign();
            s.initVerify(pub);
            s.update(new byte[]{1, 2, 3});
            return s.verify(sig);
        } catch (Exception e) {
            return false;
        }
    }

    private static void checkKey(PublicKey pub) {
        if (pub instanceof RSAPublicKey rsa) {
            int bits = rsa.getModulus().bitLength();
            if (bits < 2048) {
                throw invalid("certificate", "the certificate has an RSA key of " + bits + " bits: at least 2048 are required");
            }
        } else if (pub instanceof ECPublicKey ec) {
            int bits = ec.getParams().getCurve().getField().getFieldSize();
            if (bits != 256 && bits != 384) {
                throw invalid("certificate", "the certificate has an EC key on a " + bits
                        + "-bit curve: P-256 or P-384 are accepted");
            }
        } else {
            throw invalid("certificate", "the certificate has a " + pub.getAlgorithm() + " key: RSA or EC are accepted");
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

    private static boolean covers(X509Certificate c, String name) {
        List<String> sans = CertificateInfo.of(c, null).subjectAlternativeNames();
        String n = name.toLowerCase(Locale.ROOT);
        for (String san : sans) {
            String v = san.substring(san.indexOf(':') + 1).toLowerCase(Locale.ROOT);
            if (v.equals(n)) {
                return true;
            }
            // A wildcard covers exactly one label: *.plant.example covers console.plant.example only.
            if (v.startsWith("*.") && n.endsWith(v.substring(1))) {
                String label = n.substring(0, n.length() - v.length() + 1);
                if (!label.isEmpty() && !label.contains(".")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<X509Certificate> certificates(byte[] data, String field) {
        try {
            Collection<? extends java.security.cert.Certificate> parsed =
                    CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(data));
            List<X509Certificate> out = parsed.stream().map(c -> (X509Certificate) c).toList();
            if (out.isEmpty()) {
                throw invalid(field, "no certificate found (PEM or DER expected)");
            }
            return out;
        } catch (ProblemException e) {
            throw e;
        } catch (Exception e) {
            throw invalid(field, "cannot be read as an X.509 certificate (PEM or DER expected)");
        }
    }

    private static PrivateKey privateKey(String pem, String passphrase) {
        if (pem == null || pem.isBlank()) {
            throw invalid("privateKey", "a private key (PEM) is required");
        }
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object o = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (o instanceof PKCS8EncryptedPrivateKeyInfo enc) {
                if (passphrase == null || passphrase.isEmpty()) {
                    throw invalid("passphrase", "the private key is encrypted: its passphrase is required");
                }
                try {
                    return converter.getPrivateKey(enc.decryptPrivateKeyInfo(
                            new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BC).build(passphrase.toCharArray())));
                } catch (Exception e) {
                    throw invalid("passphrase", "the passphrase does not decrypt the private key");
                }
            }
            if (o instanceof PEMEncryptedKeyPair enc) {
                if (passphrase == null || passphrase.isEmpty()) {
                    throw invalid("passphrase", "the private key is encrypted: its passphrase is required");
                }
                try {
                    return converter.getKeyPair(enc.decryptKeyPair(new JcePEMDecryptorProviderBuilder()
                            .setProvider(BC).build(passphrase.toCharArray()))).getPrivate();
                } catch (Exception e) {
                    throw invalid("passphrase", "the passphrase does not decrypt the private key");
                }
            }
            if (o instanceof PEMKeyPair kp) {
                return converter.getKeyPair(kp).getPrivate();
            }
            if (o instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            throw invalid("privateKey", "no private key found in the PEM text");
        } catch (ProblemException e) {
            throw e;
        } catch (Exception e) {
            throw invalid("privateKey", "cannot be read as a PEM private key");
        }
    }

    static ProblemException invalid(String field, String detail) {
        return new ProblemException(400, "certificate-invalid", "Certificate refused", field + ": " + detail);
    }
}
