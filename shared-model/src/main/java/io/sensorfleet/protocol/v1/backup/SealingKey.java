package io.sensorfleet.protocol.v1.backup;

/**
 * The console's public key for sealing the secrets of a backup before it leaves the sensor; only
 * the console can open them. Sent by the console with every BACKUP task; all fields present.
 *
 * @param keyId     names the key in every sealed file: 16 hex digits of the SHA-256 of the encoded key
 * @param algorithm how to seal, {@code X25519-HKDF-SHA256-AES256GCM}; a sensor that does not know
 *                  the algorithm keeps its secrets in clear and the console seals them on arrival
 * @param publicKey base64 of the X.509 (SubjectPublicKeyInfo) encoding of the X25519 public key
 */
public record SealingKey(String keyId, String algorithm, String publicKey) {
}
