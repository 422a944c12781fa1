package io.sensorfleet.lib.packages;

import io.sensorfleet.lib.json.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The detached signature of an update package ({@code manifest.sig}): Ed25519 over the exact bytes of
 * {@code manifest.json}, which carries the payload's SHA-256, so the signature covers the payload too.
 *
 * @param algorithm {@value #ALGORITHM}
 * @param keyId     {@link #keyId(PublicKey)} of the signing key
 * @param signature base64 of the signature
 */
public record PackageSignature(String algorithm, String keyId, String signature) {
    public static final String ALGORITHM = "Ed25519";
    private static final Json JSON = Json.strict();
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN (PUBLIC KEY|PRIVATE KEY)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    /** First 16 hex digits of the SHA-256 of the key's X.509 encoding. */
    public static String keyId(PublicKey key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()), 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static PackageSignature sign(byte[] manifest, PrivateKey key, PublicKey publicKey) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initSign(key);
            s.update(manifest);
            return new PackageSignature(ALGORITHM, keyId(publicKey), Base64.getEncoder().encodeToString(s.sign()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with this key (Ed25519 is required): " + e.getMessage(), e);
        }
    }

    /**
     * Checks {@code signatureBytes} (the content of manifest.sig) over {@code manifest} against the trusted keys.
     *
     * @param trusted public keys by key id
     * @return the id of the key that signed it
     */
    public static String verify(byte[] manifest, byte[] signatureBytes, Map<String, PublicKey> trusted)
            throws PackageException {
        PackageSignature sig;
        try {
            sig = JSON.readValue(signatureBytes, PackageSignature.class);
        } catch (IOException e) {
            throw new PackageException(PackageException.Kind.BAD_SIGNATURE, "manifest.sig is not a signature document");
        }
        if (sig == null || !ALGORITHM.equals(sig.algorithm()) || sig.keyId() == null || sig.signature() == null) {
            throw new PackageException(PackageException.Kind.BAD_SIGNATURE,
                    "manifest.sig: algorithm must be " + ALGORITHM + ", keyId and signature are required");
        }
        PublicKey key = trusted.get(sig.keyId());
        if (key == null) {
            throw new PackageException(PackageException.Kind.UNKNOWN_KEY, "the package is signed with key "
                    + sig.keyId() + ", which is not among the trusted vendor keys " + trusted.keySet());
        }
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initVerify(key);
            s.update(manifest);
            if (s.verify(Base64.getDecoder().decode(sig.signature()))) {
                return sig.keyId();
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // answered below
        }
        throw new PackageException(PackageException.Kind.BAD_SIGNATURE, "the signature of the manifest does not "
                + "verify with key " + sig.keyId() + ": the manifest or the signature was changed");
    }

    public byte[] toBytes() {
        return JSON.writeValueAsBytes(this);
    }

    /** Every public key in a PEM text (several may follow each other), by key id. */
    public static Map<String, PublicKey> publicKeys(String pem) {
        Map<String, PublicKey> keys = new java.util.LinkedHashMap<>();
        for (byte[] der : blocks(pem, "PUBLIC KEY")) {
            try {
                PublicKey k = KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
                keys.put(keyId(k), k);
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("not an Ed25519 public key: " + e.getMessage());
            }
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no PEM 'PUBLIC KEY' block found");
        }
        return keys;
    }

    public static PrivateKey privateKey(String pem) {
        List<byte[]> der = blocks(pem, "PRIVATE KEY");
        if (der.size() != 1) {
            throw new IllegalArgumentException("expected one PEM 'PRIVATE KEY' block (PKCS#8, Ed25519)");
        }
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der.get(0)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 private key: " + e.getMessage());
        }
    }

    /** The public key that goes with an Ed25519 private key (from its PKCS#8 v2 encoding, or recomputed). */
    public static PublicKey publicKeyOf(PrivateKey key) {
        try {
            // Sign and verify against the derived key: Java derives Ed25519 public keys through KeyFactory specs.
            var spec = KeyFactory.getInstance(ALGORITHM).getKeySpec(key, java.security.spec.EdECPrivateKeySpec.class);
            byte[] seed = spec.getBytes();
            var gen = java.security.KeyPairGenerator.getInstance(ALGORITHM);
            gen.initialize(java.security.spec.NamedParameterSpec.ED25519, new FixedRandom(seed));
            return gen.generateKeyPair().getPublic();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot derive the public key: " + e.getMessage());
        }
    }

    public static String pem(PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }

    private static List<byte[]> blocks(String pem, String type) {
        List<byte[]> out = new ArrayList<>();
        Matcher m = PEM.matcher(pem == null ? "" : pem);
        while (m.find()) {
            if (m.group(1).equals(type)) {
                out.add(Base64.getMimeDecoder().decode(m.group(2)));
            }
        }
        return out;
    }

    /** Hands the key generator the private key's seed, so it produces that key pair. */
    private static final class FixedRandom extends java.security.SecureRandom {
        private final byte[] seed;

        FixedRandom(byte[] seed) {
            this.seed = seed.clone();
        }

        @Override
        public void nextBytes(byte[] bytes) {
            System.arraycopy(seed, 0, bytes, 0, Math.min(seed.length, bytes.length));
        }
    }
}
