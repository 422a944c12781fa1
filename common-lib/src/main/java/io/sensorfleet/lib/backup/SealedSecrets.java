package io.sensorfleet.lib.backup;

import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The secrets of a backup, sealed so that only the holder of one private key (the console's backup
 * sealing key) can open them: the sensor seals {@code config/secrets.conf} into
 * {@code config/secrets.conf.sealed} before the backup leaves it, so no copy of the backup — in the
 * console's storage, downloaded by an operator, in transit — holds a secret in clear.
 * <p>
 * Hybrid encryption with JDK crypto only: an ephemeral X25519 key agreement with the recipient's
 * public key, HKDF-SHA256 of the shared secret (salted with both public keys) gives an AES-256 key,
 * AES-GCM seals the content. The header lines (format, key id, algorithm, ephemeral key) and the
 * archive entry's name are authenticated with it, so a sealed file cannot be moved to another entry,
 * pointed at another key or altered without {@link #open} refusing it. The format is text:
 * <pre>
 * SENSORFLEET-SEALED-V1
 * key-id: 16 hex digits (SHA-256 of the recipient public key, truncated)
 * algorithm: X25519-HKDF-SHA256-AES256GCM
 * ephemeral: base64 X.509 encoding of the ephemeral public key
 * nonce: base64, 12 bytes
 * ciphertext: base64, content and 16-byte tag
 * </pre>
 */
public final class SealedSecrets {
    public static final String MAGIC = "SENSORFLEET-SEALED-V1";
    public static final String ALGORITHM = "X25519-HKDF-SHA256-AES256GCM";
    /** The entry of a backup that holds the sensor's secrets in clear (before sealing). */
    public static final String CLEAR_ENTRY = "config/secrets.conf";
    /** The entry that holds them sealed. */
    public static final String SEALED_ENTRY = CLEAR_ENTRY + ".sealed";
    /** A sealed secrets file is small; anything larger is refused unread. */
    public static final int MAX_SEALED_BYTES = 256 * 1024;

    private static final String CURVE = "X25519";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] INFO = "sensorfleet backup secrets v1".getBytes(StandardCharsets.US_ASCII);

    /** A sealed file that cannot be opened (wrong key, altered, not a sealed file); the message says which. */
    public static final class RefusedException extends Exception {
        public RefusedException(String message) {
            super(message);
        }

        public RefusedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private SealedSecrets() {
    }

    /** A fresh recipient key pair. */
    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(CURVE).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("X25519 is part of every JDK since 11", e);
        }
    }

    /** The id a public key is named by: 16 hex digits of the SHA-256 of its X.509 encoding. */
    public static String keyId(PublicKey key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** A public key from its base64 X.509 encoding, as the console publishes it. */
    public static PublicKey publicKey(String base64) throws RefusedException {
        try {
            return KeyFactory.getInstance(CURVE).generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException | IllegalArgumentException | NullPointerException e) {
            throw new RefusedException("not an X25519 public key (base64 of its X.509 encoding)", e);
        }
    }

    /** A private key from its PKCS#8 encoding. */
    public static PrivateKey privateKey(byte[] pkcs8) {
        try {
            return KeyFactory.getInstance(CURVE).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("not an X25519 private key", e);
        }
    }

    public static String encode(PublicKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    /**
     * Seals {@code plain} for the holder of {@code recipient}'s private key.
     *
     * @param entry the archive entry the result is stored as; {@link #open} must be given the same
     */
    public static byte[] seal(PublicKey recipient, byte[] plain, String entry) {
        try {
            KeyPair ephemeral = generate();
            byte[] nonce = new byte[12];
            RANDOM.nextBytes(nonce);
            String keyId = keyId(recipient);
            String epk = encode(ephemeral.getPublic());
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, aesKey(ephemeral.getPrivate(), recipient, ephemeral.getPublic(), recipient),
                    new GCMParameterSpec(128, nonce));
            c.updateAAD(associated(keyId, epk, entry));
            byte[] sealed = c.doFinal(plain);
            String text = MAGIC + "\nkey-id: " + keyId + "\nalgorithm: " + ALGORITHM + "\nephemeral: " + epk
                    + "\nnonce: " + Base64.getEncoder().encodeToString(nonce)
                    + "\nciphertext: " + Base64.getEncoder().encodeToString(sealed) + "\n";
            return text.getBytes(StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("X25519, HMAC-SHA256 and AES-GCM are part of every JDK", e);
        }
    }

    /** The key id a sealed file names, without opening it. */
    public static String keyIdOf(byte[] sealed) throws RefusedException {
        return fields(sealed).get("key-id");
    }

    /**
     * Opens what {@link #seal} made.
     *
     * @throws RefusedException with a reason a person can act on: another key, altered content, not a sealed file
     */
    public static byte[] open(PrivateKey key, PublicKey publicKey, byte[] sealed, String entry) throws RefusedException {
        Map<String, String> f = fields(sealed);
        String mine = keyId(publicKey);
        if (!mine.equals(f.get("key-id"))) {
            throw new RefusedException("the secrets are sealed with key " + f.get("key-id") + ", not with this key ("
                    + mine + ")");
        }
        if (!ALGORITHM.equals(f.get("algorithm"))) {
            throw new RefusedException("unknown sealing algorithm '" + f.get("algorithm") + "'");
        }
        PublicKey ephemeral = publicKey(f.get("ephemeral"));
        byte[] nonce;
        byte[] ciphertext;
        try {
            nonce = Base64.getDecoder().decode(f.get("nonce"));
            ciphertext = Base64.getDecoder().decode(f.get("ciphertext"));
        } catch (IllegalArgumentException e) {
            throw new RefusedException("the sealed secrets are damaged (bad base64)", e);
        }
        if (nonce.length != 12 || ciphertext.length < 16) {
            throw new RefusedException("the sealed secrets are damaged (nonce or ciphertext too short)");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, aesKey(key, ephemeral, ephemeral, publicKey), new GCMParameterSpec(128, nonce));
            c.updateAAD(associated(f.get("key-id"), f.get("ephemeral"), entry));
            return c.doFinal(ciphertext);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new RefusedException("the sealed secrets were altered, or were sealed for another entry than "
                    + entry + " (authentication failed)", e);
        } catch (GeneralSecurityException e) {
            throw new RefusedException("cannot open the sealed secrets: " + e.getMessage(), e);
        }
    }

    private static Map<String, String> fields(byte[] sealed) throws RefusedException {
        if (sealed == null || sealed.length > MAX_SEALED_BYTES) {
            throw new RefusedException("not a sealed secrets file (empty or larger than " + MAX_SEALED_BYTES + " bytes)");
        }
        String[] lines = new String(sealed, StandardCharsets.US_ASCII).split("\n");
        if (lines.length < 6 || !MAGIC.equals(lines[0])) {
            throw new RefusedException("not a sealed secrets file (it does not start with " + MAGIC + ")");
        }
        Map<String, String> f = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(": ");
            if (colon > 0) {
                f.put(lines[i].substring(0, colon), lines[i].substring(colon + 2).strip());
            }
        }
        for (String k : new String[]{"key-id", "algorithm", "ephemeral", "nonce", "ciphertext"}) {
            if (f.get(k) == null || f.get(k).isEmpty()) {
                throw new RefusedException("the sealed secrets are damaged (no " + k + ")");
            }
        }
        return f;
    }

    private static byte[] associated(String keyId, String epk, String entry) {
        return (MAGIC + "|" + keyId + "|" + ALGORITHM + "|" + epk + "|" + entry).getBytes(StandardCharsets.UTF_8);
    }

    /** HKDF-SHA256 (RFC 5869) of the X25519 shared secret, salted with the ephemeral and recipient public keys. */
    private static SecretKeySpec aesKey(PrivateKey own, PublicKey other, PublicKey ephemeral, PublicKey recipient)
            throws GeneralSecurityException {
        KeyAgreement ka = KeyAgreement.getInstance(CURVE);
        ka.init(own);
        ka.doPhase(other, true);
        byte[] shared = ka.generateSecret();
        byte[] salt = concat(ephemeral.getEncoded(), recipient.getEncoded());
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(salt, "HmacSHA256"));
        byte[] prk = mac.doFinal(shared);
        mac.init(new SecretKeySpec(prk, "HmacSHA256"));
        mac.update(INFO);
        mac.update((byte) 1);
        byte[] okm = mac.doFinal();
        Arrays.fill(shared, (byte) 0);
        Arrays.fill(prk, (byte) 0);
        return new SecretKeySpec(okm, "AES");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
