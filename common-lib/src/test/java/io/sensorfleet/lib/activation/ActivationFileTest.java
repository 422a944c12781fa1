package io.sensorfleet.lib.activation;

import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ActivationFileTest {
    static final KeyPair CONSOLE = keys();
    static final String KID = ActivationFile.keyId(CONSOLE.getPublic());
    static final ActivationClaims CLAIMS = new ActivationClaims("f-1", "sensor-1", "line-3", ActivationMode.LOCALLY_MANAGED,
            Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2027-01-01T00:00:00Z"), "console-1");

    static KeyPair keys() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ActivationException refused(String text, Map<String, java.security.PublicKey> keys, String sensor) {
        return assertThrows(ActivationException.class, () -> ActivationFile.verify(text, keys, sensor));
    }

    @Test
    void signedFileVerifiesWithTheConsoleKeyAndAnyOfSeveralTrustedKeys() throws Exception {
        String file = ActivationFile.sign(CLAIMS, CONSOLE.getPrivate(), KID);
        assertEquals(CLAIMS, ActivationFile.verify(file, Map.of(KID, CONSOLE.getPublic()), "sensor-1"));
        KeyPair older = keys();
        var rotated = Map.of(ActivationFile.keyId(older.getPublic()), older.getPublic(), KID, CONSOLE.getPublic());
        assertEquals(CLAIMS, ActivationFile.verify(file + "\n", rotated, "sensor-1"));
    }

    @Test
    void eachKindOfBadFileHasItsOwnReason() {
        String file = ActivationFile.sign(CLAIMS, CONSOLE.getPrivate(), KID);
        var trusted = Map.of(KID, CONSOLE.getPublic());
        // one byte of the signed content changed
        int i = file.indexOf('.') + 10;
        String tampered = file.substring(0, i) + (file.charAt(i) == 'A' ? 'B' : 'A') + file.substring(i + 1);
        assertEquals(ActivationException.Reason.TAMPERED, refused(tampered, trusted, "sensor-1").reason());
        assertEquals(ActivationException.Reason.OTHER_SENSOR, refused(file, trusted, "sensor-2").reason());
        KeyPair stranger = keys();
        String foreign = ActivationFile.sign(CLAIMS, stranger.getPrivate(), ActivationFile.keyId(stranger.getPublic()));
        ActivationException unknown = refused(foreign, trusted, "sensor-1");
        assertEquals(ActivationException.Reason.UNKNOWN_KEY, unknown.reason());
        assertTrue(unknown.getMessage().contains("unknown key"));
        assertEquals(ActivationException.Reason.NOT_AN_ACTIVATION_FILE,
                refused(file.substring(0, file.lastIndexOf('.')), trusted, "sensor-1").reason());
        assertEquals(ActivationException.Reason.NOT_AN_ACTIVATION_FILE,
                refused("-----BEGIN CERTIFICATE-----\nMIIB\n", trusted, "sensor-1").reason());
        // signed with the right key under a forged key id is still tampering, not acceptance
        String wrongKid = ActivationFile.sign(CLAIMS, stranger.getPrivate(), KID);
        assertEquals(ActivationException.Reason.TAMPERED, refused(wrongKid, trusted, "sensor-1").reason());
    }

    @Test
    void signatureConversionRoundTrips() {
        for (int n = 0; n < 50; n++) {
            try {
                var s = java.security.Signature.getInstance("SHA256withECDSA");
                s.initSign(CONSOLE.getPrivate());
                s.update(new byte[]{(byte) n});
                byte[] der = s.sign();
                assertEquals(64, ActivationFile.derToJose(der).length);
                s.initVerify(CONSOLE.getPublic());
                s.update(new byte[]{(byte) n});
                assertTrue(s.verify(ActivationFile.joseToDer(ActivationFile.derToJose(der))));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
