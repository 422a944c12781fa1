package io.sensorfleet.console.recovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The master key as it travels in a console backup: sealed with AES-256-GCM under a key derived
 * from an operator's passphrase (PBKDF2-HMAC-SHA256, random salt), never in clear. Without the
 * passphrase the archive's database dump reveals no private key, because everything secret in it
 * is sealed under the master key.
 */
public final class MasterKeyEscrow {
    /** Shortest passphrase accepted when sealing: the escrow is only as strong as the passphrase. */
    public static final int MIN_PASSPHRASE_CHARS = 12;
    static final String KDF = "PBKDF2WithHmacSHA256";
    /** OWASP's 2023 figure for PBKDF2-HMAC-SHA256; about half a second here, paid once per backup or restore. */
    static final int ITERATIONS = 600_000;
    private static final byte[] AAD = "sensorfleet console master key escrow v1".getBytes(StandardCharsets.UTF_8);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private MasterKeyEscrow() {
    }

    /** The escrow document (JSON) holding {@code masterKey} sealed under {@code passphrase}. */
    public static byte[] seal(byte[] masterKey, char[] passphrase) {
        if (passphrase.length < MIN_PASSPHRASE_CHARS) {
            throw new RecoveryException("the backup passphrase must have at least " + MIN_PASSPHRASE_CHARS + " characters");
        }
        byte[] salt = random(16);
        byte[] nonce = random(12);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, derive(passphrase, salt, ITERATIONS), new GCMParameterSpec(128, nonce));
            c.updateAAD(AAD);
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("format", 1);
            doc.put("kdf", KDF);
            doc.put("iterations", ITERATIONS);
            doc.put("salt", b64(salt));
            doc.put("cipher", "AES-256-GCM");
            doc.put("nonce", b64(nonce));
            doc.put("sealedKey", b64(c.doFinal(masterKey)));
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(doc);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("PBKDF2 and AES-GCM are part of every JDK", e);
        }
    }

    /** The master key from an escrow document; a wrong passphrase or a changed document is refused. */
    public static byte[] open(byte[] escrow, char[] passphrase) {
        JsonNode doc;
        try {
            doc = JSON.readTree(escrow);
        } catch (IOException e) {
            throw new RecoveryException("the archive's master key escrow is not readable JSON");
        }
        if (doc == null || doc.path("format").asInt() != 1 || !KDF.equals(doc.path("kdf").asText())
                || !"AES-256-GCM".equals(doc.path("cipher").asText())) {
            throw new RecoveryException("the archive's master key escrow has an unknown format");
        }
        int iterations = doc.path("iterations").asInt();
        // Bounded both ways: a forged document must not make the restore spin for hours.
        if (iterations < 100_000 || iterations > 10_000_000) {
            throw new RecoveryException("the archive's master key escrow names an unacceptable iteration count: " + iterations);
        }
        try {
            byte[] salt = unb64(doc, "salt");
            byte[] nonce = unb64(doc, "nonce");
            byte[] sealed = unb64(doc, "sealedKey");
            if (nonce.length != 12 || salt.length < 16) {
                throw new RecoveryException("the archive's master key escrow is malformed");
            }
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, derive(passphrase, salt, iterations), new GCMParameterSpec(128, nonce));
            c.updateAAD(AAD);
            byte[] key = c.doFinal(sealed);
            if (key.length != 32) {
                throw new RecoveryException("the escrowed master key is not 256 bits");
            }
            return key;
        } catch (AEADBadTagException e) {
            throw new RecoveryException("wrong backup passphrase (or the archive's master key escrow was changed)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2 and AES-GCM are part of every JDK", e);
        }
    }

    private static SecretKeySpec derive(char[] passphrase, byte[] salt, int iterations) throws GeneralSecurityException {
        PBEKeySpec spec = new PBEKeySpec(passphrase, salt, iterations, 256);
        try {
            byte[] key = SecretKeyFactory.getInstance(KDF).generateSecret(spec).getEncoded();
            SecretKeySpec aes = new SecretKeySpec(key, "AES");
            Arrays.fill(key, (byte) 0);
            return aes;
        } finally {
            spec.clearPassword();
        }
    }

    private static byte[] unb64(JsonNode doc, String field) {
        try {
            return Base64.getDecoder().decode(doc.path(field).asText());
        } catch (IllegalArgumentException e) {
            throw new RecoveryException("the archive's master key escrow is malformed (" + field + ")");
        }
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
