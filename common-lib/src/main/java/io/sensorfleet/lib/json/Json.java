package io.sensorfleet.lib.json;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The sensor side's JSON codec for protocol v1 records, the agent's state files and the signed
 * documents it verifies: a strict parser and a writer compatible with the console's Jackson mapper
 * (JavaTimeModule, dates as ISO-8601 text, unknown fields ignored), in a few classes instead of
 * Jackson databind's hundreds, which the agent's memory budget cannot carry (docs/benchmarks.md,
 * "Agent footprint").
 * <p>
 * Immutable and thread-safe. {@link #lenient()} ignores unknown fields as the protocol requires of
 * an older reader; {@link #strict()} refuses them (signed documents the sensor verifies).
 */
public final class Json {
    private static final Json LENIENT = new Json(false, false);
    private static final Json STRICT = new Json(true, false);

    private final boolean failOnUnknown;
    private final boolean pretty;
    private final JsonBinder binder;

    private Json(boolean failOnUnknown, boolean pretty) {
        this.failOnUnknown = failOnUnknown;
        this.pretty = pretty;
        this.binder = new JsonBinder(failOnUnknown);
    }

    /** Unknown fields ignored: a newer sender may add fields, an older reader still understands the rest. */
    public static Json lenient() {
        return LENIENT;
    }

    /** Unknown fields refused, and so are missing or null values for primitive components. */
    public static Json strict() {
        return STRICT;
    }

    /** The same codec, writing indented (Jackson's default pretty layout). */
    public Json pretty() {
        return new Json(failOnUnknown, true);
    }

    public String writeValueAsString(Object value) {
        return JsonWriter.write(value, pretty);
    }

    public byte[] writeValueAsBytes(Object value) {
        return writeValueAsString(value).getBytes(StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    public <T> T readValue(String text, Class<T> type) throws JsonException {
        return (T) binder.bind(JsonParser.parse(text), type, "$");
    }

    public <T> T readValue(byte[] bytes, Class<T> type) throws JsonException {
        return readValue(utf8(bytes), type);
    }

    public <T> T readValue(InputStream in, Class<T> type) throws IOException {
        return readValue(in.readAllBytes(), type);
    }

    public <T> T readValue(Path file, Class<T> type) throws IOException {
        return readValue(Files.readAllBytes(file), type);
    }

    /** For generic types, e.g. {@code readValue(text, Json.mapOf(String.class))}. */
    public Object readValue(String text, Type type) throws JsonException {
        return binder.bind(JsonParser.parse(text), type, "$");
    }

    /**
     * The document as plain values: Map (in document order), List, String, Integer, Long, BigInteger,
     * Double, Boolean or null, as Jackson reads into {@code Object}.
     */
    public Object readTree(String text) throws JsonException {
        return JsonParser.parse(text);
    }

    public Object readTree(byte[] bytes) throws JsonException {
        return JsonParser.parse(utf8(bytes));
    }

    /** The type {@code Map<String, V>}. */
    public static Type mapOf(Class<?> valueType) {
        return new MapType(valueType);
    }

    private static String utf8(byte[] bytes) throws JsonException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString()
                    .transform(text -> text.startsWith("\uFEFF") ? text.substring(1) : text);
        } catch (CharacterCodingException e) {
            throw new JsonException("not valid UTF-8");
        }
    }

    private record MapType(Class<?> valueType) implements ParameterizedType {
        @Override
        public Type[] getActualTypeArguments() {
            return new Type[] {String.class, valueType};
        }

        @Override
        public Type getRawType() {
            return java.util.Map.class;
        }

        @Override
        public Type getOwnerType() {
            return null;
        }
    }
}
