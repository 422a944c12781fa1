package io.sensorfleet.lib.json;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.temporal.TemporalAccessor;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Writes values as Jackson writes them with the JavaTimeModule and dates as text: records by their
 * components in declaration order (honouring {@code @JsonProperty}, {@code @JsonIgnore},
 * {@code @JsonInclude}), enums by name, java.time values in ISO-8601, durations as decimal seconds.
 * The pretty form is the layout of Jackson's default pretty printer.
 */
final class JsonWriter {
    private final StringBuilder out = new StringBuilder(256);
    private final boolean pretty;
    private int level;

    private JsonWriter(boolean pretty) {
        this.pretty = pretty;
    }

    static String write(Object value, boolean pretty) {
        JsonWriter w = new JsonWriter(pretty);
        w.value(value);
        return w.out.toString();
    }

    private void value(Object v) {
        switch (v) {
            case null -> out.append("null");
            case String s -> string(s);
            case Boolean b -> out.append(b);
            case Double d -> floating(d, d.isNaN() || d.isInfinite());
            case Float f -> floating(f, f.isNaN() || f.isInfinite());
            case BigDecimal d -> out.append(d);
            case Number n when n instanceof Integer || n instanceof Long || n instanceof Short
                    || n instanceof Byte || n instanceof BigInteger -> out.append(n);
            case Enum<?> e -> string(e.name());
            case Duration d -> out.append(BigDecimal.valueOf(d.getSeconds()).add(BigDecimal.valueOf(d.getNano(), 9)));
            case TemporalAccessor t -> string(t.toString());
            case UUID u -> string(u.toString());
            case Character c -> string(c.toString());
            case byte[] bytes -> string(Base64.getEncoder().encodeToString(bytes));
            case Optional<?> o -> value(o.orElse(null));
            case Record r -> record(r);
            case Map<?, ?> m -> map(m);
            case Collection<?> c -> array(c.toArray());
            default -> {
                if (v.getClass().isArray()) {
                    Object[] items = new Object[Array.getLength(v)];
                    for (int i = 0; i < items.length; i++) {
                        items[i] = Array.get(v, i);
                    }
                    array(items);
                } else {
                    throw new IllegalArgumentException("no JSON form for " + v.getClass().getName());
                }
            }
        }
    }

    private void floating(Object n, boolean notFinite) {
        if (notFinite) {
            string(n.toString());
        } else {
            out.append(n);
        }
    }

    private void record(Record r) {
        RecordShape shape = RecordShape.of(r.getClass());
        int fields = 0;
        out.append('{');
        for (int i = 0; i < shape.components().length; i++) {
            if (shape.ignored(i)) {
                continue;
            }
            Object v = shape.get(r, i);
            if (!shape.include(i).accepts(v)) {
                continue;
            }
            field(fields++, shape.name(i));
            value(v);
        }
        close(fields, '}');
    }

    private void map(Map<?, ?> m) {
        int fields = 0;
        out.append('{');
        for (Map.Entry<?, ?> e : m.entrySet()) {
            Object key = e.getKey();
            field(fields++, key instanceof Enum<?> en ? en.name() : String.valueOf(key));
            value(e.getValue());
        }
        close(fields, '}');
    }

    private void field(int index, String name) {
        if (index > 0) {
            out.append(',');
        }
        if (pretty) {
            if (index == 0) {
                level++;
            }
            out.append('\n');
            indent();
            string(name);
            out.append(" : ");
        } else {
            string(name);
            out.append(':');
        }
    }

    private void close(int fields, char bracket) {
        if (pretty) {
            if (fields > 0) {
                level--;
                out.append('\n');
                indent();
            } else {
                out.append(' ');
            }
        }
        out.append(bracket);
    }

    private void array(Object[] items) {
        out.append('[');
        for (int i = 0; i < items.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            if (pretty) {
                out.append(' ');
            }
            value(items[i]);
        }
        if (pretty) {
            out.append(' ');
        }
        out.append(']');
    }

    private void indent() {
        for (int i = 0; i < level; i++) {
            out.append("  ");
        }
    }

    private void string(String s) {
        out.append('"');
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String escaped = switch (c) {
                case '"' -> "\\\"";
                case '\\' -> "\\\\";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                case '\b' -> "\\b";
                case '\f' -> "\\f";
                default -> c < 0x20 ? String.format("\\u%04X", (int) c) : null;
            };
            if (escaped != null) {
                out.append(s, start, i).append(escaped);
                start = i + 1;
            }
        }
        out.append(s, start, s.length()).append('"');
    }
}
