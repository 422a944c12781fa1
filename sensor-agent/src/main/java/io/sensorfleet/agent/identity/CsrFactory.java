package io.sensorfleet.agent.identity;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;

/**
 * Makes the sensor's key pairs (EC P-256) and the PKCS#10 requests that carry their public half
 * to the console. The private key only signs the request; it never leaves this class's caller.
 */
public final class CsrFactory {
    /**
     * The console decides subject and SANs itself (it ignores what the CSR says), but PKCS#10
     * needs some subject; a fixed one reveals nothing about the appliance.
     */
    static final String SUBJECT = "CN=sensorfleet-agent";

    private final SecureRandom random;

    public CsrFactory(SecureRandom random) {
        this.random = random;
    }

    public CsrFactory() {
        this(new SecureRandom());
    }

    public KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK supports EC P-256", e);
        }
    }

    /** A PKCS#10 request in PEM holding the public key, signed with the private key (SHA256withECDSA). */
    public String csrPem(KeyPair keyPair) {
        try {
            // The JDK's provider signs; registering Bouncy Castle as a provider would be global state.
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA")
                    .setSecureRandom(random)
                    .build(keyPair.getPrivate());
            PKCS10CertificationRequest csr = new JcaPKCS10CertificationRequestBuilder(
                    new X500Name(SUBJECT), keyPair.getPublic()).build(signer);
            return Pem.encode("CERTIFICATE REQUEST", csr.getEncoded());
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("SHA256withECDSA is part of every JDK", e);
        } catch (IOException e) {
            throw new UncheckedIOException("encoding a CSR in memory cannot fail", e);
        }
    }
}
