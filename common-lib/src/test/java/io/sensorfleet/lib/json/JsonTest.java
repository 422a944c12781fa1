package io.sensorfleet.lib.json;

import io.sensorfleet.protocol.v1.Problem;
import io.sensorfleet.protocol.v1.heartbeat.Health;
import io.sensorfleet.protocol.v1.heartbeat.HeartbeatRequest;
import io.sensorfleet.protocol.v1.settings.SettingsPush;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonTest {
    private final Json json = Json.lenient();

    record Numbers(int i, long l, double d, Integer boxed) {
    }

    record Texts(String s, List<String> list, Map<String, Integer> map) {
    }

    @Test
    void readsEveryJsonTypeAsJacksonReadsUntypedJson() throws Exception {
        Object tree = json.readTree("{\"i\":1,\"l\":9000000000,\"b\":123456789012345678901234567890,\"d\":1.5,"
                + "\"e\":1e3,\"t\":true,\"n\":null,\"s\":\"x\\u00e9\\n\",\"a\":[],\"o\":{}}");
        assertEquals(Map.of("i", 1, "l", 9_000_000_000L, "b", new BigInteger("123456789012345678901234567890"),
                "d", 1.5, "e", 1000.0, "t", true, "s", "xé\n", "a", List.of(), "o", Map.of()),
                without((Map<?, ?>) tree, "n"));
        assertTrue(((Map<?, ?>) tree).containsKey("n"));
    }

    @Test
    void missingAndNullFieldsAreNullOrZero() throws Exception {
        assertEquals(new Numbers(0, 0, 0, null), json.readValue("{\"i\":null}", Numbers.class));
        assertEquals(new Problem(null, null, 0, null, null), json.readValue("{}", Problem.class));
    }

    @Test
    void truncatedInputIsRefusedWithWhereItEnds() {
        for (String text : List.of("", " ", "{", "{\"type\"", "{\"type\":", "{\"type\":\"abc", "[1,", "{\"a\":1,}",
                "tru", "{\"status\":4", "\"\\u12")) {
            JsonException e = assertThrows(JsonException.class, () -> json.readValue(text, Problem.class), text);
            assertTrue(e.getMessage().contains("end of input") || e.getMessage().contains("no content")
                    || e.getMessage().contains("expected"), e.getMessage());
        }
    }

    @Test
    void deepNestingIsRefused() {
        String deep = "[".repeat(JsonParser.MAX_DEPTH + 1) + "]".repeat(JsonParser.MAX_DEPTH + 1);
        JsonException e = assertThrows(JsonException.class, () -> json.readTree(deep));
        assertTrue(e.getMessage().contains("nesting deeper than 500"), e.getMessage());
        String ok = "[".repeat(JsonParser.MAX_DEPTH) + "]".repeat(JsonParser.MAX_DEPTH);
        assertTrue(assertDoesNotThrow(() -> json.readTree(ok)) instanceof List<?>);
    }

    @Test
    void hugeNumbersAreRefusedNotTruncated() {
        assertMessage("{\"i\":2147483648}", Numbers.class, "$.i: 2147483648 is out of range for an integer");
        assertMessage("{\"l\":99999999999999999999}", Numbers.class, "$.l: 99999999999999999999 is out of range");
        assertMessage("{\"d\":1e400}", Numbers.class, "is out of range");
        assertMessage("{\"i\":" + "9".repeat(1001) + "}", Numbers.class, "number longer than 1000 characters");
        assertMessage("{\"i\":1.5}", Numbers.class, "$.i: expected an integer, got the number 1.5");
    }

    @Test
    void wrongTypesNameTheFieldAndWhatCame() {
        assertMessage("{\"status\":\"409\"}", Problem.class, "$.status: expected an integer, got the string \"409\"");
        assertMessage("{\"type\":5}", Problem.class, "$.type: expected a string, got the number 5");
        assertMessage("{\"s\":\"x\",\"list\":{\"a\":1}}", Texts.class, "$.list: expected an array, got an object");
        assertMessage("{\"map\":{\"a\":\"1\"}}", Texts.class, "$.map.a: expected an integer, got the string \"1\"");
        assertMessage("{\"status\":\"MAYBE\"}", Health.class, "$.status: \"MAYBE\" is not one of [OK, DEGRADED");
        assertMessage("{\"sentAt\":\"yesterday\"}", HeartbeatRequest.class, "$.sentAt: \"yesterday\" is not a valid Instant");
        assertMessage("[]", Problem.class, "$: expected an object (Problem), got an array");
        assertMessage("{\"revision\":true}", SettingsPush.class, "$.revision: expected a long integer, got true");
    }

    @Test
    void malformedJsonIsRefused() {
        for (String text : List.of("{'a':1}", "{\"a\":01}", "{\"a\":NaN}", "{\"a\":1} x", "{a:1}", "[1 2]",
                "{\"a\":\"\\x\"}", "{\"a\":\"tab\tinside\"}", "{\"a\":1,\"a\":2}", "{\"a\":-}", "{\"a\":1.}")) {
            assertThrows(JsonException.class, () -> json.readTree(text), text);
        }
        assertThrows(JsonException.class, () -> json.readTree(new byte[] {'"', (byte) 0xC3, '"'}));
    }

    @Test
    void strictRefusesUnknownFieldsAndMissingPrimitives() {
        assertMessage(Json.strict(), "{\"type\":\"t\",\"status\":1,\"extra\":1}", Problem.class, "unknown field \"extra\"");
        assertMessage(Json.strict(), "{\"type\":\"t\"}", Problem.class, "$.status: missing or null, expected int");
    }

    @Test
    void writesInstantsAsIsoTextAndEscapesControlCharacters() {
        String out = json.writeValueAsString(new HeartbeatRequest(Instant.parse("2026-01-02T03:04:05.5Z"), "1.0\u0001",
                null, null));
        assertEquals("{\"sentAt\":\"2026-01-02T03:04:05.500Z\",\"softwareVersion\":\"1.0\\u0001\",\"health\":null,"
                + "\"activation\":null,\"roundTripMs\":null}", out);
    }

    @Test
    void readsUtf8WithAndWithoutByteOrderMark() throws Exception {
        byte[] bom = "\uFEFF{\"type\":\"é\"}".getBytes(StandardCharsets.UTF_8);
        assertEquals("é", json.readValue(bom, Problem.class).type());
    }

    private void assertMessage(String text, Class<?> type, String expected) {
        assertMessage(json, text, type, expected);
    }

    private static void assertMessage(Json codec, String text, Class<?> type, String expected) {
        JsonException e = assertThrows(JsonException.class, () -> codec.readValue(text, type), text);
        assertTrue(e.getOriginalMessage().contains(expected), e.getOriginalMessage() + " does not contain " + expected);
    }

    private static Object assertDoesNotThrow(org.junit.jupiter.api.function.ThrowingSupplier<Object> s) {
        return org.junit.jupiter.api.Assertions.assertDoesNotThrow(s);
    }

    private static Map<?, ?> without(Map<?, ?> m, String key) {
        Map<Object, Object> copy = new java.util.LinkedHashMap<>(m);
        copy.remove(key);
        return copy;
    }
}
