package io.sensorfleet.console.secrets;

import io.sensorfleet.console.common.ConsoleConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Encrypts key material before it is stored in the database (AES-256-GCM, random 96-bit nonce),
 * so a database dump alone reveals no private key. The master key comes from configuration
 * ({@code sensorfleet.console.master-key}) or from a file generated in the data directory at first start.
 */
@ApplicationScoped
public class SecretBox {
    private static final int NONCE_BYTES = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKey key;

    @Inject
    public SecretBox(ConsoleConfig config) {
        this(loadKey(config));
    }

    SecretBox(byte[] key) {
        if (key.length != 32) {
            throw new IllegalStateException("the master key must be 32 bytes (base64 of 256 bits), got " + key.length);
        }
        this.key = new SecretKeySpec(key, "AES");
    }

    /** @param associated names what is sealed, so a blob cannot be swapped for another one */
    public byte[] seal(byte[] plain, String associated) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            c.updateAAD(associated.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = c.doFinal(plain);
            return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    public byte[] open(byte[] blob, String associated) {
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, blob, 0, NONCE_BYTES));
            c.updateAAD(associated.getBytes(StandardCharsets.UTF_8));
            return c.doFinal(blob, NONCE_BYTES, blob.length - NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot decrypt '" + associated + "' from the database: this instance's "
                    + "master key differs from the one that stored it. Every console instance sharing a database "
                    + "needs the same sensorfleet.console.master-key (SENSORFLEET_CONSOLE_MASTER_KEY).", e);
        }
    }

    private static byte[] loadKey(ConsoleConfig config) {
        if (config.masterKey().isPresent()) {
            return Base64.getDecoder().decode(config.masterKey().get().strip());
        }
        Path file = config.dataDir().resolve("master.key");
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(config.dataDir());
                byte[] fresh = new byte[32];
                RANDOM.nextBytes(fresh);
                Path tmp = Files.createTempFile(config.dataDir(), "master", ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(tmp, Base64.getEncoder().encodeToString(fresh) + "\n", StandardOpenOption.TRUNCATE_EXISTING);
                try {
                    Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException raced) {
                    Files.deleteIfExists(tmp);
                }
            }
            return Base64.getDecoder().decode(Files.readString(file).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the master key file " + file, e);
        }
    }
}
