package io.sensorfleet.lib.certificates;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.List;

import static io.sensorfleet.lib.certificates.CertificateRefusal.Part;

/**
 * A certificate with its private key and the chain above it, read from what an operator supplies:
 * the console's upload and the sensor's {@code certificate import} read it the same way.
 *
 * @param leaf  the certificate to present
 * @param chain the certificates above it, as given (issuer first when in order)
 * @param key   the leaf's private key, decrypted
 */
public record CertificateBundle(X509Certificate leaf, List<X509Certificate> chain, PrivateKey key) {
    // Bouncy Castle's own provider: the JDK's lacks some of the PBES2 variants openssl writes.
    private static final Provider BC = new org.bouncycastle.jce.provider.BouncyCastleProvider();

    public CertificateBundle {
        chain = List.copyOf(chain);
    }

    /**
     * From separate files.
     *
     * @param certificate PEM or DER
     * @param keyPem      PEM: PKCS#8, traditional RSA/EC, or either encrypted
     * @param passphrase  for an encrypted key; null or empty otherwise
     * @param chain       PEM, issuer first; null or blank for none
     * @throws CertificateRefusal naming the part that cannot be read
     */
    public static CertificateBundle fromParts(byte[] certificate, String keyPem, String passphrase, byte[] chain) {
        X509Certificate leaf = certificates(certificate, Part.CERTIFICATE).getFirst();
        PrivateKey key = privateKey(keyPem, passphrase);
        boolean noChain = chain == null || new String(chain, java.nio.charset.StandardCharsets.US_ASCII).isBlank();
        return new CertificateBundle(leaf, noChain ? List.of() : certificates(chain, Part.CHAIN), key);
    }

    /** From a PKCS#12 bundle (.p12, .pfx). */
    public static CertificateBundle fromPkcs12(byte[] p12, String password) {
        char[] pw = password == null ? new char[0] : password.toCharArray();
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(new ByteArrayInputStream(p12), pw);
            Enumeration<String> aliases = ks.aliases();
            while (aliases.hasMoreElements()) {
                String alias = aliases.nextElement();
                if (ks.isKeyEntry(alias)) {
                    Certificate[] chain = ks.getCertificateChain(alias);
                    List<X509Certificate> rest = new ArrayList<>();
                    for (int i = 1; i < chain.length; i++) {
                        rest.add((X509Certificate) chain[i]);
                    }
                    return new CertificateBundle((X509Certificate) chain[0], rest, (PrivateKey) ks.getKey(alias, pw));
                }
            }
            throw new CertificateRefusal(Part.PKCS12, "the PKCS#12 bundle holds no private key");
        } catch (CertificateRefusal e) {
            throw e;
        } catch (IOException e) {
            throw new CertificateRefusal(Part.PASSWORD, "the PKCS#12 bundle cannot be opened: wrong password or not a PKCS#12 file");
        } catch (Exception e) {
            throw new CertificateRefusal(Part.PKCS12, "the PKCS#12 bundle cannot be read: " + e.getMessage());
        }
    }

    /** Every certificate in PEM or DER data, in order; at least one. */
    public static List<X509Certificate> certificates(byte[] data, Part part) {
        try {
            Collection<? extends Certificate> parsed =
                    CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(data));
            List<X509Certificate> out = parsed.stream().map(c -> (X509Certificate) c).toList();
            if (out.isEmpty()) {
                throw new CertificateRefusal(part, "no certificate found (PEM or DER expected)");
            }
            return out;
        } catch (CertificateRefusal e) {
            throw e;
        } catch (Exception e) {
            throw new CertificateRefusal(part, "cannot be read as an X.509 certificate (PEM or DER expected)");
        }
    }

    /** Whether the key in PEM text is encrypted (needs a passphrase); false when it cannot be read at all. */
    public static boolean encrypted(String keyPem) {
        try (PEMParser parser = new PEMParser(new StringReader(keyPem))) {
            Object o = parser.readObject();
            return o instanceof PKCS8EncryptedPrivateKeyInfo || o instanceof PEMEncryptedKeyPair;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static PrivateKey privateKey(String pem, String passphrase) {
        if (pem == null || pem.isBlank()) {
            throw new CertificateRefusal(Part.PRIVATE_KEY, "a private key (PEM) is required");
        }
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object o = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            boolean noPassphrase = passphrase == null || passphrase.isEmpty();
            if (o instanceof PKCS8EncryptedPrivateKeyInfo || o instanceof PEMEncryptedKeyPair) {
                if (noPassphrase) {
                    throw new CertificateRefusal(Part.PASSPHRASE, "the private key is encrypted: its passphrase is required");
                }
                try {
                    return o instanceof PKCS8EncryptedPrivateKeyInfo enc
                            ? converter.getPrivateKey(enc.decryptPrivateKeyInfo(new JceOpenSSLPKCS8DecryptorProviderBuilder()
                                    .setProvider(BC).build(passphrase.toCharArray())))
                            : converter.getKeyPair(((PEMEncryptedKeyPair) o).decryptKeyPair(new JcePEMDecryptorProviderBuilder()
                                    .setProvider(BC).build(passphrase.toCharArray()))).getPrivate();
                } catch (Exception e) {
                    throw new CertificateRefusal(Part.PASSPHRASE, "the passphrase does not decrypt the private key");
                }
            }
            if (o instanceof PEMKeyPair kp) {
                return converter.getKeyPair(kp).getPrivate();
            }
            if (o instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            throw new CertificateRefusal(Part.PRIVATE_KEY, "no private key found in the PEM text");
        } catch (CertificateRefusal e) {
            throw e;
        } catch (Exception e) {
            throw new CertificateRefusal(Part.PRIVATE_KEY, "cannot be read as a PEM private key");
        }
    }
}
