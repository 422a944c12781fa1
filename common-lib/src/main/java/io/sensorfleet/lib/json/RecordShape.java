package io.sensorfleet.lib.json;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the codec knows of a record type, read once by reflection: its components, their JSON names
 * and the Jackson annotations that change them, the accessors and the canonical constructor.
 */
final class RecordShape {
    private static final ClassValue<RecordShape> SHAPES = new ClassValue<>() {
        @Override
        protected RecordShape computeValue(Class<?> type) {
            return new RecordShape(type);
        }
    };

    /** When a component is written, after Jackson's {@code JsonInclude.Include}. */
    enum Include {
        ALWAYS, NON_NULL, NON_EMPTY;

        boolean accepts(Object v) {
            return switch (this) {
                case ALWAYS -> true;
                case NON_NULL -> v != null && !(v instanceof Optional<?> o && o.isEmpty());
                case NON_EMPTY -> v != null && !(v instanceof Optional<?> o && o.isEmpty())
                        && !(v instanceof String s && s.isEmpty()) && !(v instanceof Collection<?> c && c.isEmpty())
                        && !(v instanceof Map<?, ?> m && m.isEmpty());
            };
        }
    }

    private final Class<?> type;
    private final RecordComponent[] components;
    private final String[] names;
    private final boolean[] ignored;
    private final Include[] include;
    private final Method[] accessors;
    private final Constructor<?> constructor;
    private final List<String> ignoredNames;

    private RecordShape(Class<?> type) {
        this.type = type;
        components = type.getRecordComponents();
        names = new String[components.length];
        ignored = new boolean[components.length];
        include = new Include[components.length];
        accessors = new Method[components.length];
        Class<?>[] parameterTypes = new Class<?>[components.length];
        JsonIgnoreProperties ignoreProperties = type.getAnnotation(JsonIgnoreProperties.class);
        ignoredNames = ignoreProperties == null ? List.of() : Arrays.asList(ignoreProperties.value());
        Include classInclude = include(type.getAnnotation(JsonInclude.class), Include.ALWAYS);
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            parameterTypes[i] = c.getType();
            accessors[i] = c.getAccessor();
            accessors[i].setAccessible(true);
            Field field = field(type, c.getName());
            JsonProperty property = annotation(JsonProperty.class, accessors[i], field);
            names[i] = property != null && !property.value().isEmpty() ? property.value() : c.getName();
            JsonIgnore ignore = annotation(JsonIgnore.class, accessors[i], field);
            ignored[i] = (ignore != null && ignore.value()) || ignoredNames.contains(names[i]);
            include[i] = include(annotation(JsonInclude.class, accessors[i], field), classInclude);
        }
        try {
            constructor = type.getDeclaredConstructor(parameterTypes);
            constructor.setAccessible(true);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("a record always has its canonical constructor", e);
        }
    }

    static RecordShape of(Class<?> type) {
        return SHAPES.get(type);
    }

    RecordComponent[] components() {
        return components;
    }

    String name(int i) {
        return names[i];
    }

    boolean ignored(int i) {
        return ignored[i];
    }

    boolean ignoresName(String name) {
        return ignoredNames.contains(name);
    }

    Include include(int i) {
        return include[i];
    }

    Object get(Record r, int i) {
        try {
            return accessors[i].invoke(r);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("cannot read " + type.getSimpleName() + "." + components[i].getName()
                    + ": " + e.getCause(), e.getCause());
        }
    }

    Object create(Object[] values) throws JsonException {
        try {
            return constructor.newInstance(values);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw new JsonException("not a valid " + type.getSimpleName() + ": " + cause.getMessage(), cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Field field(Class<?> type, String name) {
        try {
            return type.getDeclaredField(name);
        } catch (NoSuchFieldException e) {
            return null;
        }
    }

    private static <A extends java.lang.annotation.Annotation> A annotation(Class<A> kind, AnnotatedElement... places) {
        for (AnnotatedElement place : places) {
            A a = place == null ? null : place.getAnnotation(kind);
            if (a != null) {
                return a;
            }
        }
        return null;
    }

    private static Include include(JsonInclude annotation, Include otherwise) {
        if (annotation == null) {
            return otherwise;
        }
        return switch (annotation.value()) {
            case NON_NULL, NON_ABSENT -> Include.NON_NULL;
            case NON_EMPTY -> Include.NON_EMPTY;
            case ALWAYS -> Include.ALWAYS;
            default -> otherwise;
        };
    }
}
