package io.sensorfleet.agent.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Instances of any record built from its component types, for round-trip tests: variant 0 fills
 * every component with an ordinary value, 1 with extremes (largest numbers, empty collections, text
 * that needs escaping, the last enum constant), 2 with null wherever a reference may be null.
 */
public final class RecordSamples {
    public static final int VARIANTS = 3;

    private RecordSamples() {
    }

    /** The record, or empty when its constructor refuses this variant's values (e.g. nulls). */
    public static Optional<Object> of(Class<?> type, int variant) {
        try {
            return Optional.of(build(type, variant, 0));
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
    }

    /** Every record class in the package (and below) of the given class, from its jar or classes directory. */
    public static List<Class<?>> recordsBeside(Class<?> anchor) {
        String prefix = anchor.getPackageName().replace('.', '/') + "/";
        List<String> names = new ArrayList<>();
        try {
            Path source = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(source)) {
                try (Stream<Path> files = Files.walk(source.resolve(prefix))) {
                    files.map(p -> source.relativize(p).toString()).forEach(names::add);
                }
            } else {
                try (JarFile jar = new JarFile(source.toFile())) {
                    jar.stream().map(e -> e.getName()).filter(n -> n.startsWith(prefix)).forEach(names::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        List<Class<?>> records = new ArrayList<>();
        for (String n : names) {
            if (n.endsWith(".class")) {
                try {
                    Class<?> c = Class.forName(n.substring(0, n.length() - 6).replace('/', '.'));
                    if (c.isRecord()) {
                        records.add(c);
                    }
                } catch (ClassNotFoundException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return records;
    }

    private static Object build(Class<?> type, int variant, int depth) {
        RecordComponent[] components = type.getRecordComponents();
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            values[i] = value(components[i].getGenericType(), components[i].getName(), variant, depth + 1);
        }
        try {
            Constructor<?> c = type.getDeclaredConstructor(types);
            c.setAccessible(true);
            return c.newInstance(values);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object value(Type type, String name, int variant, int depth) {
        boolean extreme = variant == 1;
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            Type[] args = p.getActualTypeArguments();
            if (variant == 2) {
                return null;
            }
            if (List.class.isAssignableFrom(raw) || Set.class.isAssignableFrom(raw)) {
                List<Object> items = new ArrayList<>();
                items.add(value(args[0], name, variant, depth));
                if (!extreme) {
                    items.add(value(args[0], name + "2", 0, depth));
                }
                return Set.class.isAssignableFrom(raw) ? new LinkedHashSet<>(items) : items;
            }
            if (Map.class.isAssignableFrom(raw)) {
                if (args[1] == Object.class) {
                    return untyped(extreme);
                }
                Map<String, Object> m = new LinkedHashMap<>();
                m.put(extreme ? "" : "key/" + name, value(args[1], name, variant, depth));
                return m;
            }
            throw new IllegalArgumentException("no sample for " + type);
        }
        Class<?> c = (Class<?>) type;
        if (c == int.class || c == Integer.class) {
            return extreme ? Integer.MAX_VALUE : variant == 2 && !c.isPrimitive() ? null : 7;
        }
        if (c == long.class || c == Long.class) {
            return extreme ? Long.MIN_VALUE : variant == 2 && !c.isPrimitive() ? null : 5_000_000_000L;
        }
        if (c == boolean.class || c == Boolean.class) {
            return variant == 2 && !c.isPrimitive() ? null : !extreme;
        }
        if (c == double.class || c == Double.class) {
            return variant == 2 && !c.isPrimitive() ? null : extreme ? 1.0E-300 : 0.25;
        }
        if (variant == 2) {
            return null;
        }
        if (c == String.class) {
            if (name.equals("host")) {
                return extreme ? "2001:db8::1" : "console.example.org";
            }
            if (name.equals("token")) {
                return (extreme ? "_-" : "Ab").repeat(21) + "z";
            }
            if (name.endsWith("Fingerprint")) {
                return (extreme ? "f" : "0a").repeat(64).substring(0, 64);
            }
            return extreme ? "tab\t \"quoted\" back\\slash\n ü € \u0001 \uD83D\uDE00 </script>" : name + "-value";
        }
        if (c == Instant.class) {
            return extreme ? Instant.parse("1969-12-31T23:59:59.000000001Z") : Instant.parse("2026-12-05T01:02:03.456789Z");
        }
        if (c == Duration.class) {
            return extreme ? Duration.ofNanos(1) : Duration.ofSeconds(90);
        }
        if (c == UUID.class) {
            return extreme ? new UUID(-1, -1) : UUID.fromString("0b0e7c2a-5f0e-4d47-9a55-0c3d0c6f6a01");
        }
        if (c.isEnum()) {
            Object[] constants = c.getEnumConstants();
            return constants[extreme ? constants.length - 1 : 0];
        }
        if (c.isRecord()) {
            if (depth > 6) {
                return null;
            }
            return build(c, variant, depth);
        }
        throw new IllegalArgumentException("no sample for " + c);
    }

    /** Settings values: every JSON type, as Jackson reads them into Object. */
    private static Map<String, Object> untyped(boolean extreme) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (extreme) {
            return m;
        }
        m.put("int", 42);
        m.put("negative", -1);
        m.put("long", 9_000_000_000L);
        m.put("big", new BigInteger("123456789012345678901234567890"));
        m.put("double", 2.5);
        m.put("text", "a \"b\"");
        m.put("flag", true);
        m.put("nothing", null);
        m.put("list", new ArrayList<>(List.of(1, "two", false)));
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("deep", new ArrayList<>(List.of(new LinkedHashMap<>(Map.of("x", 1)))));
        m.put("nested", nested);
        return m;
    }
}
