package io.sensorfleet.protocol.v1.activation;

import java.util.List;

/**
 * The console's trusted activation keys, for sensors to verify activation files offline.
 *
 * @param keys every trusted key; the newest signs new files
 */
public record ActivationKeyList(List<Key> keys) {
    /**
     * @param kid       key id, as in the files' JWS header
     * @param publicKey base64 of the X.509 SubjectPublicKeyInfo (EC P-256)
     */
    public record Key(String kid, String publicKey) {
    }
}
