package io.sensorfleet.protocol.v1.enrollment;

import java.util.HexFormat;

/** The one way both sides fingerprint a certificate: SHA-256 of its DER encoding, lower-case hex. */
public final class Fingerprints {
    private Fingerprints() {
    }

    public static String sha256Hex(byte[] der) {
        return HexFormat.of().formatHex(ConnectionString.sha256(der));
    }
}
