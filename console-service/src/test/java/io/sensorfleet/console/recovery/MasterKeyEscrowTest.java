package io.sensorfleet.console.recovery;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MasterKeyEscrowTest {
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final char[] PASSPHRASE = "correct horse battery staple".toCharArray();

    @Test
    void theRightPassphraseOpensTheKeyAndTheDocumentHoldsItNowhereInClear() {
        byte[] escrow = MasterKeyEscrow.seal(KEY, PASSPHRASE);
        String text = new String(escrow, StandardCharsets.UTF_8);

        assertArrayEquals(KEY, MasterKeyEscrow.open(escrow, PASSPHRASE));
        assertFalse(text.contains(Base64.getEncoder().encodeToString(KEY)), text);
        assertFalse(text.contains(new String(KEY, StandardCharsets.US_ASCII)), text);
    }

    @Test
    void aWrongPassphraseIsRefusedWithAClearReason() {
        byte[] escrow = MasterKeyEscrow.seal(KEY, PASSPHRASE);
        RecoveryException e = assertThrows(RecoveryException.class,
                () -> MasterKeyEscrow.open(escrow, "not the passphrase at all".toCharArray()));
        assertTrue(e.getMessage().contains("wrong backup passphrase"), e.getMessage());
    }

    @Test
    void aShortPassphraseIsRefusedWhenSealing() {
        RecoveryException e = assertThrows(RecoveryException.class, () -> MasterKeyEscrow.seal(KEY, "short".toCharArray()));
        assertTrue(e.getMessage().contains("at least 12"), e.getMessage());
    }

    @Test
    void anEditedDocumentIsRefused() throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode doc = (ObjectNode) json.readTree(MasterKeyEscrow.seal(KEY, PASSPHRASE));
        byte[] salt = Base64.getDecoder().decode(doc.get("salt").asText());
        salt[0] ^= 1;
        doc.put("salt", Base64.getEncoder().encodeToString(salt));
        assertThrows(RecoveryException.class, () -> MasterKeyEscrow.open(json.writeValueAsBytes(doc), PASSPHRASE));

        ObjectNode slow = (ObjectNode) json.readTree(MasterKeyEscrow.seal(KEY, PASSPHRASE));
        slow.put("iterations", Integer.MAX_VALUE);
        RecoveryException e = assertThrows(RecoveryException.class,
                () -> MasterKeyEscrow.open(json.writeValueAsBytes(slow), PASSPHRASE));
        assertTrue(e.getMessage().contains("iteration count"), e.getMessage());

        assertThrows(RecoveryException.class, () -> MasterKeyEscrow.open("not json".getBytes(StandardCharsets.UTF_8), PASSPHRASE));
    }
}
