package io.sensorfleet.lib.json;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Strict RFC 8259 parser to plain values, typed as Jackson types untyped JSON: objects to
 * {@link LinkedHashMap}, arrays to {@link ArrayList}, integers to the smallest of Integer, Long and
 * BigInteger, other numbers to Double. Refuses duplicate keys, trailing content and input past the
 * limits Jackson applies by default (nesting 500, numbers of 1000 characters, strings of 20 M).
 */
final class JsonParser {
    static final int MAX_DEPTH = 500;
    static final int MAX_NUMBER_LENGTH = 1000;
    static final int MAX_STRING_LENGTH = 20_000_000;

    private final String in;
    private int pos;
    private int depth;

    private JsonParser(String in) {
        this.in = in;
    }

    static Object parse(String text) throws JsonException {
        JsonParser p = new JsonParser(text);
        p.skipSpace();
        if (p.pos == text.length()) {
            throw new JsonException("no content: expected a JSON value");
        }
        Object value = p.value();
        p.skipSpace();
        if (p.pos != text.length()) {
            throw p.error("unexpected content after the JSON value");
        }
        return value;
    }

    private Object value() throws JsonException {
        if (pos >= in.length()) {
            throw error("unexpected end of input: expected a value");
        }
        char c = in.charAt(pos);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw error("unexpected character " + describe(c) + ": expected a value");
            }
        };
    }

    private Map<String, Object> object() throws JsonException {
        enter();
        pos++;
        Map<String, Object> out = new LinkedHashMap<>();
        skipSpace();
        if (peek() == '}') {
            pos++;
            depth--;
            return out;
        }
        while (true) {
            skipSpace();
            if (peek() != '"') {
                throw error("expected a field name in double quotes");
            }
            String key = string();
            skipSpace();
            expect(':');
            skipSpace();
            Object v = value();
            if (out.containsKey(key)) {
                throw error("duplicate field \"" + key + "\"");
            }
            out.put(key, v);
            skipSpace();
            char c = next("',' or '}' after a field");
            if (c == '}') {
                depth--;
                return out;
            }
            if (c != ',') {
                pos--;
                throw error("unexpected character " + describe(c) + ": expected ',' or '}'");
            }
        }
    }

    private List<Object> array() throws JsonException {
        enter();
        pos++;
        List<Object> out = new ArrayList<>();
        skipSpace();
        if (peek() == ']') {
            pos++;
            depth--;
            return out;
        }
        while (true) {
            skipSpace();
            out.add(value());
            skipSpace();
            char c = next("',' or ']' after an element");
            if (c == ']') {
                depth--;
                return out;
            }
            if (c != ',') {
                pos--;
                throw error("unexpected character " + describe(c) + ": expected ',' or ']'");
            }
        }
    }

    private void enter() throws JsonException {
        if (++depth > MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH + " levels");
        }
    }

    private String string() throws JsonException {
        pos++;
        StringBuilder out = null;
        int start = pos;
        while (true) {
            if (pos >= in.length()) {
                throw error("unexpected end of input in a string");
            }
            char c = in.charAt(pos);
            if (c == '"') {
                String s = out == null ? in.substring(start, pos) : out.append(in, start, pos).toString();
                pos++;
                return s;
            }
            if (c < 0x20) {
                throw error("control character " + describe(c) + " in a string (escape it)");
            }
            if (c == '\\') {
                if (out == null) {
                    out = new StringBuilder();
                }
                out.append(in, start, pos);
                pos++;
                out.append(escape());
                start = pos;
            } else {
                pos++;
            }
            if (pos - start + (out == null ? 0 : out.length()) > MAX_STRING_LENGTH) {
                throw error("string longer than " + MAX_STRING_LENGTH + " characters");
            }
        }
    }

    private char escape() throws JsonException {
        char c = next("an escape");
        switch (c) {
            case '"', '\\', '/' -> {
                return c;
            }
            case 'b' -> {
                return '\b';
            }
            case 'f' -> {
                return '\f';
            }
            case 'n' -> {
                return '\n';
            }
            case 'r' -> {
                return '\r';
            }
            case 't' -> {
                return '\t';
            }
            case 'u' -> {
                if (pos + 4 > in.length()) {
                    throw error("unexpected end of input in a \\u escape");
                }
                int v = 0;
                for (int i = 0; i < 4; i++) {
                    int d = Character.digit(in.charAt(pos++), 16);
                    if (d < 0) {
                        pos--;
                        throw error("invalid \\u escape: expected 4 hex digits");
                    }
                    v = v * 16 + d;
                }
                return (char) v;
            }
            default -> {
                pos--;
                throw error("invalid escape \\" + c);
            }
        }
    }

    private Object number() throws JsonException {
        int start = pos;
        boolean integral = true;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else if (!digits()) {
            throw error("invalid number: expected a digit");
        }
        if (peek() == '.') {
            integral = false;
            pos++;
            if (!digits()) {
                throw error("invalid number: expected a digit after '.'");
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            integral = false;
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!digits()) {
                throw error("invalid number: expected a digit in the exponent");
            }
        }
        if (pos - start > MAX_NUMBER_LENGTH) {
            throw error("number longer than " + MAX_NUMBER_LENGTH + " characters");
        }
        String text = in.substring(start, pos);
        if (!integral) {
            double d = Double.parseDouble(text);
            if (Double.isInfinite(d)) {
                throw error("number " + abbreviate(text) + " is out of range");
            }
            return d;
        }
        if (text.length() <= 9) {
            return Integer.parseInt(text);
        }
        if (text.length() <= 18) {
            long l = Long.parseLong(text);
            return l == (int) l ? (Object) (int) l : (Object) l;
        }
        BigInteger b = new BigInteger(text);
        if (b.bitLength() < 32) {
            return b.intValue();
        }
        return b.bitLength() < 64 ? (Object) b.longValue() : b;
    }

    private boolean digits() {
        int start = pos;
        while (pos < in.length() && in.charAt(pos) >= '0' && in.charAt(pos) <= '9') {
            pos++;
        }
        return pos > start;
    }

    private Object literal(String word, Object value) throws JsonException {
        if (!in.startsWith(word, pos)) {
            throw error("unexpected token: expected a value");
        }
        pos += word.length();
        return value;
    }

    private void skipSpace() {
        while (pos < in.length()) {
            char c = in.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private char peek() {
        return pos < in.length() ? in.charAt(pos) : '\0';
    }

    private char next(String expected) throws JsonException {
        if (pos >= in.length()) {
            throw error("unexpected end of input: expected " + expected);
        }
        return in.charAt(pos++);
    }

    private void expect(char c) throws JsonException {
        if (pos >= in.length()) {
            throw error("unexpected end of input: expected '" + c + "'");
        }
        if (in.charAt(pos) != c) {
            throw error("unexpected character " + describe(in.charAt(pos)) + ": expected '" + c + "'");
        }
        pos++;
    }

    private JsonException error(String what) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < pos && i < in.length(); i++) {
            if (in.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new JsonException(what + " at line " + line + ", column " + column);
    }

    private static String describe(char c) {
        return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }

    private static String abbreviate(String s) {
        return s.length() <= 20 ? s : s.substring(0, 20) + "…";
    }
}
