package io.sensorfleet.protocol.v1.enrollment;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectionStringTest {
    private static final String TOKEN = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde";
    private static final String FP = "9ff87b81a72b4017c818da5d2f98e188b49d2136d28387e1e5493ec7110ca688";

    private static ConnectionString sample() {
        return new ConnectionString(List.of(AgentAddress.parse("console-a.plant.example:9443"),
                AgentAddress.parse("[fd00::5]:9443"), AgentAddress.parse("10.0.0.5:19443")), TOKEN, FP);
    }

    @Test
    void encodesToOneShellSafeLineAndParsesBack() {
        String line = sample().encode();
        assertTrue(line.matches("sf1\\.[A-Za-z0-9_-]+\\.[0-9a-f]{8}"), line);
        assertEquals(sample(), ConnectionString.parse("  " + line + "\n"));
    }

    @Test
    void truncatedStringIsRecognisedAsSuch() {
        String line = sample().encode();
        assertMessage(line.substring(0, line.length() - 3), "checksum mismatch");
        assertMessage(line.substring(0, line.lastIndexOf('.')), "cut off");
    }

    @Test
    void alteredPayloadFailsTheChecksum() {
        String line = sample().encode();
        char c = line.charAt(10) == 'A' ? 'B' : 'A';
        assertMessage(line.substring(0, 10) + c + line.substring(11), "checksum mismatch");
    }

    @Test
    void seedStyleIpColonTokenIsRefusedWithTheExpectedForm() {
        assertMessage("10.0.0.5:abcdef", "must start with 'sf1.'");
        assertMessage("", "empty");
    }

    @Test
    void eachMissingOrBadFieldIsNamed() {
        assertMessage(encodeRaw("t=" + TOKEN + "\nf=" + FP), "missing console address");
        assertMessage(encodeRaw("a=h:1\nf=" + FP), "missing enrollment token");
        assertMessage(encodeRaw("a=h:1\nt=" + TOKEN), "missing CA fingerprint");
        assertMessage(encodeRaw("a=h:99999\nt=" + TOKEN + "\nf=" + FP), "port 99999 is outside 1-65535");
        assertMessage(encodeRaw("a=bad_host!:1\nt=" + TOKEN + "\nf=" + FP), "is not a host name");
        assertMessage(encodeRaw("a=h:1\nt=short\nf=" + FP), "43 base64url characters");
        assertMessage(encodeRaw("a=h:1\nt=" + TOKEN + "\nf=ABC"), "64 lower-case hex digits");
        assertMessage(encodeRaw("garbage"), "not key=value");
    }

    @Test
    void payloadThatIsNotBase64IsNamed() {
        String payload = "%%%";
        assertMessage("sf1." + payload + "." + ConnectionString.checksum(payload), "not valid base64url");
    }

    @Test
    void addressesParseHostsIpv4AndBracketedIpv6() {
        assertEquals(new AgentAddress("fd00::5", 9443), AgentAddress.parse("[fd00::5]:9443"));
        assertEquals("[fd00::5]:9443", AgentAddress.parse("[fd00::5]:9443").toString());
        assertEquals("https://console:9443", AgentAddress.parse("console:9443").baseUri());
        assertThrows(IllegalArgumentException.class, () -> AgentAddress.parse("fd00::5:9443"));
        assertThrows(IllegalArgumentException.class, () -> AgentAddress.parse("host:"));
    }

    private static String encodeRaw(String text) {
        String payload = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return "sf1." + payload + "." + ConnectionString.checksum(payload);
    }

    private static void assertMessage(String input, String expected) {
        ConnectionStringException e = assertThrows(ConnectionStringException.class, () -> ConnectionString.parse(input));
        assertTrue(e.getMessage().contains(expected), "'" + e.getMessage() + "' should mention '" + expected + "'");
    }
}
