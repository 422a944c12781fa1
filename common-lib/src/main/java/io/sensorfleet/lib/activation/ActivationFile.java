package io.sensorfleet.lib.activation;

import io.sensorfleet.lib.json.Json;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

/**
 * Activation files: a JWS in compact serialisation (RFC 7515), ES256, with {@code kid} naming the
 * console's activation key and {@code typ} {@value #TYPE}. Anyone holding the console's
 * activation public keys can verify one offline, e.g. with a standard JOSE library.
 */
public final class ActivationFile {
    public static final String TYPE = "sensorfleet-activation+jws";
    private static final int MAX_LENGTH = 16 * 1024;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Json JSON = Json.lenient();

    private ActivationFile() {
    }

    /** The key id of a public key: first 16 hex digits of the SHA-256 of its encoding. */
    public static String keyId(PublicKey key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()), 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sign(ActivationClaims claims, PrivateKey key, String kid) {
        try {
            String header = B64.encodeToString(JSON.writeValueAsBytes(Map.of("alg", "ES256", "kid", kid, "typ", TYPE)));
            String payload = B64.encodeToString(JSON.writeValueAsBytes(claims));
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initSign(key);
            s.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
            return header + "." + payload + "." + B64.encodeToString(derToJose(s.sign()));
        } catch (Exception e) {
            throw new IllegalStateException("cannot sign an activation file", e);
        }
    }

    /** The key id a file claims to be signed with, without verifying anything. */
    public static String claimedKeyId(String text) throws ActivationException {
        return header(parts(text)).get("kid") instanceof String kid ? kid : null;
    }

    /**
     * Verifies a file against the trusted keys (key id → key) and the sensor it must be for.
     *
     * @throws ActivationException naming which refusal case it is
     */
    public static ActivationClaims verify(String text, Map<String, PublicKey> trusted, String sensorId)
            throws ActivationException {
        String[] parts = parts(text);
        Map<?, ?> header = header(parts);
        String kid = header.get("kid") instanceof String k ? k : "";
        PublicKey key = trusted.get(kid);
        if (key == null) {
            throw new ActivationException(ActivationException.Reason.UNKNOWN_KEY, "the activation file is signed by "
                    + "an unknown key (" + kid + "): it was not issued by this sensor's console");
        }
        boolean valid;
        try {
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initVerify(key);
            s.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            valid = s.verify(joseToDer(Base64.getUrlDecoder().decode(parts[2])));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            valid = false;
        }
        if (!valid) {
            throw new ActivationException(ActivationException.Reason.TAMPERED,
                    "the activation file's signature does not match its content: it was altered or damaged");
        }
        ActivationClaims claims;
        try {
            claims = JSON.readValue(Base64.getUrlDecoder().decode(parts[1]), ActivationClaims.class);
        } catch (Exception e) {
            throw notAnActivationFile("its signed content cannot be read");
        }
        if (claims.sensorId() == null || claims.mode() == null || claims.fileId() == null || claims.sensorName() == null
                || (claims.mode() == ActivationMode.LOCALLY_MANAGED && claims.expiresAt() == null)) {
            throw notAnActivationFile("required fields are missing");
        }
        if (!claims.sensorId().equals(sensorId)) {
            throw new ActivationException(ActivationException.Reason.OTHER_SENSOR, "the activation file is for sensor "
                    + claims.sensorId() + " (" + claims.sensorName() + "), not for this sensor " + sensorId);
        }
        return claims;
    }

    private static String[] parts(String text) throws ActivationException {
        if (text == null || text.isBlank()) {
            throw notAnActivationFile("the file is empty");
        }
        if (text.length() > MAX_LENGTH) {
            throw notAnActivationFile("the file is larger than " + MAX_LENGTH + " bytes");
        }
        String[] parts = text.strip().split("\\.", -1);
        if (parts.length != 3 || Arrays.stream(parts).anyMatch(p -> !p.matches("[A-Za-z0-9_-]+"))) {
            throw notAnActivationFile("it does not have the three parts of a signed file (truncated, or another kind of file)");
        }
        return parts;
    }

    private static Map<?, ?> header(String[] parts) throws ActivationException {
        try {
            if (!(JSON.readTree(Base64.getUrlDecoder().decode(parts[0])) instanceof Map<?, ?> header)
                    || !TYPE.equals(header.get("typ")) || !"ES256".equals(header.get("alg"))) {
                throw notAnActivationFile("its header names another kind of file");
            }
            return header;
        } catch (ActivationException e) {
            throw e;
        } catch (Exception e) {
            throw notAnActivationFile("its header cannot be read (truncated or damaged)");
        }
    }

    private static ActivationException notAnActivationFile(String why) {
        return new ActivationException(ActivationException.Reason.NOT_AN_ACTIVATION_FILE,
                "not a valid activation file: " + why);
    }

    /** JCA signs ECDSA as DER; JWS wants the two 32-byte integers R and S side by side. */
    static byte[] derToJose(byte[] der) {
        int offset = der[1] == (byte) 0x81 ? 3 : 2;
        int rLength = der[offset + 1];
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(der, offset + 2, offset + 2 + rLength));
        int sStart = offset + 2 + rLength;
        int sLength = der[sStart + 1];
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(der, sStart + 2, sStart + 2 + sLength));
        byte[] out = new byte[64];
        put(r, out, 0);
        put(s, out, 32);
        return out;
    }

    static byte[] joseToDer(byte[] jose) {
        if (jose.length != 64) {
            throw new IllegalArgumentException("ES256 signatures are 64 bytes");
        }
        byte[] r = new BigInteger(1, Arrays.copyOfRange(jose, 0, 32)).toByteArray();
        byte[] s = new BigInteger(1, Arrays.copyOfRange(jose, 32, 64)).toByteArray();
        int length = 2 + r.length + 2 + s.length;
        byte[] der = new byte[2 + length];
        der[0] = 0x30;
        der[1] = (byte) length;
        der[2] = 0x02;
        der[3] = (byte) r.length;
        System.arraycopy(r, 0, der, 4, r.length);
        der[4 + r.length] = 0x02;
        der[5 + r.length] = (byte) s.length;
        System.arraycopy(s, 0, der, 6 + r.length, s.length);
        return der;
    }

    private static void put(BigInteger n, byte[] out, int at) {
        byte[] b = n.toByteArray();
        int len = Math.min(b.length, 32);
        System.arraycopy(b, b.length - len, out, at + 32 - len, len);
    }
}
