package io.sensorfleet.lib.json;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Binds parsed values to Java types, strictly: a field of one JSON type never takes a value of another
 * (no number from a string, no integer from a fraction). Missing and null fields are null, or zero
 * and false for primitives, as with Jackson's defaults; unknown fields are ignored. Strict binding refuses
 * unknown fields and missing or null primitives.
 */
final class JsonBinder {
    private final boolean failOnUnknown;

    JsonBinder(boolean strict) {
        this.failOnUnknown = strict;
    }

    Object bind(Object v, Type type, String path) throws JsonException {
        if (type instanceof Class<?> c) {
            return bindClass(v, c, path);
        }
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            Type[] args = p.getActualTypeArguments();
            if (v == null) {
                return raw == Optional.class ? Optional.empty() : null;
            }
            if (raw == Optional.class) {
                return Optional.ofNullable(bind(v, args[0], path));
            }
            if (Map.class.isAssignableFrom(raw)) {
                return map(v, args[0], args[1], path);
            }
            if (Collection.class.isAssignableFrom(raw)) {
                return collection(v, raw, args[0], path);
            }
            return bindClass(v, raw, path);
        }
        if (type instanceof WildcardType w) {
            return bind(v, w.getUpperBounds()[0], path);
        }
        throw new IllegalArgumentException("cannot read JSON into " + type);
    }

    private Object bindClass(Object v, Class<?> c, String path) throws JsonException {
        if (c.isPrimitive()) {
            if (v == null && failOnUnknown) {
                throw new JsonException(path + ": missing or null, expected " + c.getName());
            }
            return v == null ? primitiveDefault(c) : scalar(v, c, path);
        }
        if (v == null || c == Object.class) {
            return v;
        }
        if (c.isRecord()) {
            return record(v, c, path);
        }
        if (Map.class.isAssignableFrom(c)) {
            return map(v, String.class, Object.class, path);
        }
        if (Collection.class.isAssignableFrom(c)) {
            return collection(v, c, Object.class, path);
        }
        if (c == Optional.class) {
            return Optional.of(v);
        }
        return scalar(v, c, path);
    }

    private Object record(Object v, Class<?> c, String path) throws JsonException {
        if (!(v instanceof Map<?, ?> fields)) {
            throw wrongType(path, "an object (" + c.getSimpleName() + ")", v);
        }
        RecordShape shape = RecordShape.of(c);
        RecordComponent[] components = shape.components();
        Object[] values = new Object[components.length];
        int matched = 0;
        for (int i = 0; i < components.length; i++) {
            String name = shape.name(i);
            Object field = fields.get(name);
            if (field != null || fields.containsKey(name)) {
                matched++;
            }
            values[i] = shape.ignored(i)
                    ? bind(null, components[i].getGenericType(), path)
                    : bind(field, components[i].getGenericType(), path + "." + name);
        }
        if (failOnUnknown && matched < fields.size()) {
            for (Object key : fields.keySet()) {
                if (!known(shape, (String) key)) {
                    throw new JsonException(path + ": unknown field \"" + key + "\" in " + c.getSimpleName());
                }
            }
        }
        return shape.create(values);
    }

    private static boolean known(RecordShape shape, String key) {
        for (int i = 0; i < shape.components().length; i++) {
            if (shape.name(i).equals(key)) {
                return true;
            }
        }
        return shape.ignoresName(key);
    }

    private Map<Object, Object> map(Object v, Type keyType, Type valueType, String path) throws JsonException {
        if (!(v instanceof Map<?, ?> fields)) {
            throw wrongType(path, "an object", v);
        }
        Map<Object, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : fields.entrySet()) {
            String key = (String) e.getKey();
            String at = path + "." + key;
            Object k = keyType == String.class || keyType == Object.class ? key : scalar(key, (Class<?>) keyType, at);
            out.put(k, bind(e.getValue(), valueType, at));
        }
        return out;
    }

    private Collection<Object> collection(Object v, Class<?> raw, Type element, String path) throws JsonException {
        if (!(v instanceof List<?> items)) {
            throw wrongType(path, "an array", v);
        }
        Collection<Object> out = Set.class.isAssignableFrom(raw) ? new LinkedHashSet<>() : new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            out.add(bind(items.get(i), element, path + "[" + i + "]"));
        }
        return out;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object scalar(Object v, Class<?> c, String path) throws JsonException {
        if (c == String.class) {
            return text(v, path, "a string");
        }
        if (c == boolean.class || c == Boolean.class) {
            if (v instanceof Boolean b) {
                return b;
            }
            throw wrongType(path, "true or false", v);
        }
        if (c == int.class || c == Integer.class) {
            return (int) integral(v, path, Integer.MIN_VALUE, Integer.MAX_VALUE, "an integer");
        }
        if (c == long.class || c == Long.class) {
            return integral(v, path, Long.MIN_VALUE, Long.MAX_VALUE, "a long integer");
        }
        if (c == short.class || c == Short.class) {
            return (short) integral(v, path, Short.MIN_VALUE, Short.MAX_VALUE, "a short integer");
        }
        if (c == byte.class || c == Byte.class) {
            return (byte) integral(v, path, Byte.MIN_VALUE, Byte.MAX_VALUE, "a byte");
        }
        if (c == double.class || c == Double.class || c == float.class || c == Float.class) {
            if (!(v instanceof Number n) || n instanceof BigInteger b && b.bitLength() > 1023) {
                throw wrongType(path, "a number", v);
            }
            return c == float.class || c == Float.class ? (Object) n.floatValue() : (Object) n.doubleValue();
        }
        if (c == BigDecimal.class) {
            if (v instanceof Number n) {
                return n instanceof BigInteger b ? new BigDecimal(b) : new BigDecimal(n.toString());
            }
            throw wrongType(path, "a number", v);
        }
        if (c == BigInteger.class) {
            if (v instanceof BigInteger b) {
                return b;
            }
            return BigInteger.valueOf(integral(v, path, Long.MIN_VALUE, Long.MAX_VALUE, "an integer"));
        }
        if (c.isEnum()) {
            String name = text(v, path, "one of " + List.of(c.getEnumConstants()));
            try {
                return Enum.valueOf((Class) c, name);
            } catch (IllegalArgumentException e) {
                throw new JsonException(path + ": \"" + abbreviate(name) + "\" is not one of " + List.of(c.getEnumConstants()));
            }
        }
        if ((c == Duration.class || c == Instant.class) && v instanceof Number n) {
            // Jackson reads both as decimal seconds (it writes durations so).
            BigDecimal seconds = new BigDecimal(n.toString());
            try {
                long whole = seconds.setScale(0, java.math.RoundingMode.DOWN).longValueExact();
                long nanos = seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue();
                return c == Duration.class ? Duration.ofSeconds(whole, nanos) : Instant.ofEpochSecond(whole, nanos);
            } catch (ArithmeticException | java.time.DateTimeException e) {
                throw new JsonException(path + ": " + abbreviate(n.toString()) + " is out of range for " + c.getSimpleName());
            }
        }
        String s = text(v, path, "a string (" + c.getSimpleName() + ")");
        try {
            if (c == Instant.class) {
                return Instant.parse(s);
            }
            if (c == Duration.class) {
                return Duration.parse(s);
            }
            if (c == UUID.class) {
                return uuid(s);
            }
            if (c == LocalDate.class) {
                return LocalDate.parse(s);
            }
            if (c == LocalDateTime.class) {
                return LocalDateTime.parse(s);
            }
            if (c == OffsetDateTime.class) {
                return OffsetDateTime.parse(s);
            }
            if (c == ZoneId.class) {
                return ZoneId.of(s);
            }
            if (c == byte[].class) {
                return Base64.getDecoder().decode(s);
            }
            if (c == Character.class || c == char.class) {
                if (s.length() == 1) {
                    return s.charAt(0);
                }
                throw new IllegalArgumentException("expected one character");
            }
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            throw new JsonException(path + ": \"" + abbreviate(s) + "\" is not a valid " + c.getSimpleName());
        }
        throw new IllegalArgumentException("cannot read JSON into " + c.getName());
    }

    private static UUID uuid(String s) {
        // UUID.fromString accepts short groups ("1-2-3-4-5"); the canonical form is 36 characters.
        if (s.length() != 36) {
            throw new IllegalArgumentException("not a UUID");
        }
        return UUID.fromString(s);
    }

    private static String text(Object v, String path, String expected) throws JsonException {
        if (v instanceof String s) {
            return s;
        }
        throw wrongType(path, expected, v);
    }

    private static long integral(Object v, String path, long min, long max, String expected) throws JsonException {
        if (v instanceof Integer || v instanceof Long) {
            long l = ((Number) v).longValue();
            if (l >= min && l <= max) {
                return l;
            }
            throw new JsonException(path + ": " + l + " is out of range for " + expected);
        }
        if (v instanceof BigInteger b) {
            throw new JsonException(path + ": " + abbreviate(b.toString()) + " is out of range for " + expected);
        }
        throw wrongType(path, expected, v);
    }

    private static Object primitiveDefault(Class<?> c) {
        if (c == boolean.class) {
            return false;
        }
        if (c == char.class) {
            return '\0';
        }
        if (c == long.class) {
            return 0L;
        }
        if (c == double.class) {
            return 0d;
        }
        if (c == float.class) {
            return 0f;
        }
        if (c == short.class) {
            return (short) 0;
        }
        return c == byte.class ? (Object) (byte) 0 : (Object) 0;
    }

    private static JsonException wrongType(String path, String expected, Object got) {
        return new JsonException(path + ": expected " + expected + ", got " + describe(got));
    }

    static String describe(Object v) {
        return switch (v) {
            case null -> "null";
            case String s -> "the string \"" + abbreviate(s) + "\"";
            case Boolean b -> b.toString();
            case Number n -> "the number " + abbreviate(n.toString());
            case Map<?, ?> m -> "an object";
            case List<?> l -> "an array";
            default -> v.getClass().getSimpleName();
        };
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
