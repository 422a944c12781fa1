package io.sensorfleet.console.auth;

import io.sensorfleet.console.platform.KeyPairs;
import io.sensorfleet.console.secrets.KeyMaterialStore;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** The ES256 key pair that signs operator tokens, shared by all instances through the database. */
@ApplicationScoped
public class JwtKeys {
    private static final String NAME = "operator-jwt";

    private final KeyMaterialStore store;

    JwtKeys(KeyMaterialStore store) {
        this.store = store;
    }

    private volatile KeyPair keys;

    /**
     * Loaded at start: the first request with a token would otherwise load it from the database on
     * an event-loop thread (where blocking is refused) and fail with a 500.
     */
    void warm(@Observes StartupEvent start) {
        load();
    }

    public PublicKey publicKey() {
        return load().getPublic();
    }

    public PrivateKey privateKey() {
        return load().getPrivate();
    }

    private KeyPair load() {
        KeyPair k = keys;
        if (k != null) {
            return k;
        }
        synchronized (this) {
            if (keys == null) {
                KeyMaterialStore.Opened opened = store.getOrCreate(NAME, () -> {
                    KeyPair fresh = KeyPairs.newEcP256();
                    return new KeyMaterialStore.Generated(
                            Base64.getEncoder().encodeToString(fresh.getPublic().getEncoded()),
                            fresh.getPrivate().getEncoded());
                });
                try {
                    KeyFactory f = KeyFactory.getInstance("EC");
                    keys = new KeyPair(
                            f.generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(opened.publicPem()))),
                            f.generatePrivate(new PKCS8EncodedKeySpec(opened.privatePlain())));
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("stored token signing key cannot be read", e);
                }
            }
            return keys;
        }
    }
}
