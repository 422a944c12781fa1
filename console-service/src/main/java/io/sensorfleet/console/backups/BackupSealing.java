package io.sensorfleet.console.backups;

import io.sensorfleet.console.secrets.KeyMaterialStore;
import io.sensorfleet.lib.backup.SealedSecrets;
import io.sensorfleet.lib.backup.SecretsInArchive;
import io.sensorfleet.protocol.v1.backup.SealingKey;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Base64;

/**
 * The console's backup sealing key: an X25519 key pair kept with the console's other key material
 * (private half sealed under the master key, the same pair for every instance through the database).
 * Sensors seal their secrets to its public half before a backup leaves them; the console alone opens
 * them, to send them back inside a restore over the mutual-TLS agent plane.
 */
@ApplicationScoped
public class BackupSealing {
    static final String KEY_NAME = "backup-sealing";
    private static final String PEM_HEADER = "-----BEGIN PUBLIC KEY-----";
    private static final String PEM_FOOTER = "-----END PUBLIC KEY-----";

    private record Loaded(SealingKey published, PublicKey publicKey, PrivateKey privateKey) {
    }

    private final KeyMaterialStore store;
    private volatile Loaded loaded;

    BackupSealing(KeyMaterialStore store) {
        this.store = store;
    }

    /** What a BACKUP task carries. */
    public SealingKey key() {
        return load().published();
    }

    PublicKey publicKey() {
        return load().publicKey();
    }

    /** A backup's sealed secrets that this console cannot open (another console's key, or altered). */
    static final class SecretsRefused extends RuntimeException {
        SecretsRefused(String message) {
            super(message);
        }
    }

    /**
     * The secrets of a stored backup, opened for its sensor (they go to it only inside the restore task,
     * over the mutual-TLS agent plane); null when the backup holds none sealed, or the file cannot be
     * read (the download then reports it).
     *
     * @throws SecretsRefused when its sealed secrets cannot be opened by this console
     */
    String secretsOf(Path stored, String fileName) {
        SecretsInArchive.Found found;
        try {
            found = SecretsInArchive.find(stored);
        } catch (IOException e) {
            return null;
        }
        if (found.kind() != SecretsInArchive.Kind.SEALED) {
            return null;
        }
        try {
            return new String(open(found.content()), StandardCharsets.UTF_8);
        } catch (SealedSecrets.RefusedException e) {
            throw new SecretsRefused("the secrets in backup " + fileName + " cannot be opened by this console: "
                    + e.getMessage() + "; nothing was sent to the sensor");
        }
    }

    /** Opens secrets a sensor (or this console, on arrival) sealed; refuses another key's or altered ones. */
    byte[] open(byte[] sealed) throws SealedSecrets.RefusedException {
        Loaded k = load();
        return SealedSecrets.open(k.privateKey(), k.publicKey(), sealed, SealedSecrets.SEALED_ENTRY);
    }

    private Loaded load() {
        Loaded k = loaded;
        if (k == null) {
            synchronized (this) {
                if (loaded == null) {
                    KeyMaterialStore.Opened opened = store.getOrCreate(KEY_NAME, BackupSealing::generate);
                    String base64 = opened.publicPem().replace(PEM_HEADER, "").replace(PEM_FOOTER, "").replaceAll("\\s", "");
                    PublicKey pub;
                    try {
                        pub = SealedSecrets.publicKey(base64);
                    } catch (SealedSecrets.RefusedException e) {
                        throw new IllegalStateException("the stored backup sealing key is not an X25519 key", e);
                    }
                    loaded = new Loaded(new SealingKey(SealedSecrets.keyId(pub), SealedSecrets.ALGORITHM, base64), pub,
                            SealedSecrets.privateKey(opened.privatePlain()));
                }
                k = loaded;
            }
        }
        return k;
    }

    private static KeyMaterialStore.Generated generate() {
        KeyPair pair = SealedSecrets.generate();
        String pem = PEM_HEADER + "\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(pair.getPublic().getEncoded()) + "\n" + PEM_FOOTER + "\n";
        return new KeyMaterialStore.Generated(pem, pair.getPrivate().getEncoded());
    }
}
