package io.sensorfleet.console.platform;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;

/**
 * The one kind of key pair the console makes: EC P-256, for its CA, its TLS servers, its JWT signing
 * and activation keys. Plain JDK, so features that need a key do not depend on the certificate authority.
 */
public final class KeyPairs {
    private KeyPairs() {
    }

    /** A fresh EC P-256 key pair. */
    public static KeyPair newEcP256() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC P-256 is part of every JDK", e);
        }
    }
}
