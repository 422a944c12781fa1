package io.sensorfleet.console.common;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import io.smallrye.config.WithParentName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every {@code sensorfleet.*} key the console reads is declared in a {@code @ConfigMapping} and
 * documented in {@code docs/configuration.md}, and the documentation lists no key that does not
 * exist. Keys are taken from the mapping interfaces by reflection (as SmallRye names them:
 * kebab-case, {@code @WithName}, nested groups) and from the documentation's tables.
 */
class ConfigurationDocsTest {
    private static final Path SOURCES = Path.of("src/main/java");
    private static final Path PROPERTIES = Path.of("src/main/resources/application.properties");
    private static final Path DOCS = Path.of("../docs/configuration.md");

    private static final Pattern SECTION = Pattern.compile("^##+ .*\\(`(sensorfleet\\.[a-z0-9.-]+)`\\)\\s*$");
    private static final Pattern TICKED = Pattern.compile("`([^`]+)`");
    private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9.-]*");
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{(sensorfleet\\.[a-z0-9.-]+)");
    private static final Pattern DIRECT_READ = Pattern.compile(
            "(@ConfigProperty\\(\\s*name\\s*=\\s*|get(?:Optional)?Value\\(\\s*)\"(sensorfleet\\.[^\"]+)\"");
    private static final Pattern PROPERTY = Pattern.compile("^(?:%[a-z-]+\\.)?(sensorfleet\\.[a-z0-9.-]+)\\s*=");

    @Test
    void everyMappedKeyIsDocumentedAndEveryDocumentedKeyIsMapped() throws IOException {
        Set<String> mapped = mappedKeys();
        Set<String> documented = documentedKeys(Files.readAllLines(DOCS));

        assertEquals(Set.of(), minus(mapped, documented), "in a @ConfigMapping but not in docs/configuration.md");
        assertEquals(Set.of(), minus(documented, mapped), "in docs/configuration.md but in no @ConfigMapping");
    }

    @Test
    void everyKeyTheConsoleReadsIsInAConfigMapping() throws IOException {
        Set<String> mapped = mappedKeys();
        Set<String> read = new TreeSet<>();
        List<String> direct = new ArrayList<>();
        for (Path file : javaSources()) {
            String text = Files.readString(file);
            EXPRESSION.matcher(text).results().forEach(m -> read.add(m.group(1)));
            Matcher d = DIRECT_READ.matcher(text);
            while (d.find()) {
                direct.add(SOURCES.relativize(file) + ": " + d.group(2));
            }
        }
        for (String line : Files.readAllLines(PROPERTIES)) {
            Matcher m = PROPERTY.matcher(line.strip());
            if (m.find()) {
                read.add(m.group(1));
            }
        }

        assertEquals(List.of(), direct, "sensorfleet keys read around their @ConfigMapping; inject the mapping instead");
        assertEquals(Set.of(), minus(read, mapped), "read (scheduler expressions, application.properties) but in no @ConfigMapping");
    }

    @Test
    void docsParserReadsSectionPrefixesSeveralKeysPerRowAndFullKeys() {
        List<String> doc = List.of(
                "## Database",
                "| `quarkus.datasource.username` / `password` | — | credentials |",
                "## Backups (`sensorfleet.backups`)",
                "| key | default | what |",
                "|---|---|---|",
                "| `retry-base` / `retry-cap` | 1s / 5m | x |",
                "| `schedule.enabled`, `schedule.time` | true, 04:00 | x |",
                "| `sensorfleet.admin-password` (env `SENSORFLEET_ADMIN_PASSWORD`) | generated | x |",
                "Text after the table with `off` in it.");

        assertEquals(new TreeSet<>(List.of("sensorfleet.backups.retry-base", "sensorfleet.backups.retry-cap",
                        "sensorfleet.backups.schedule.enabled", "sensorfleet.backups.schedule.time",
                        "sensorfleet.admin-password")),
                documentedKeys(doc));
    }

    @Test
    void mappedKeysFollowSmallRyeNaming() {
        assertEquals(new TreeSet<>(List.of("x.plain-name", "x.renamed", "x.group.inner-key", "x.flat")),
                keysOf("x", Sample.class));
    }

    interface Sample {
        String plainName();

        @WithName("renamed")
        int other();

        Group group();

        @WithParentName
        Flat flattened();

        interface Group {
            java.time.Duration innerKey();
        }

        interface Flat {
            boolean flat();
        }
    }

    static Set<String> mappedKeys() throws IOException {
        Set<String> keys = new TreeSet<>();
        for (Path file : javaSources()) {
            if (!Files.readString(file).contains("@ConfigMapping")) {
                continue;
            }
            String name = SOURCES.relativize(file).toString().replace('/', '.').replaceAll("\\.java$", "");
            try {
                Class<?> type = Class.forName(name, false, ConfigurationDocsTest.class.getClassLoader());
                ConfigMapping mapping = type.getAnnotation(ConfigMapping.class);
                if (mapping != null) {
                    keys.addAll(keysOf(mapping.prefix(), type));
                }
            } catch (ClassNotFoundException e) {
                throw new AssertionError("cannot load " + name, e);
            }
        }
        assertTrue(keys.size() > 50, "found only " + keys);
        return keys;
    }

    static Set<String> keysOf(String prefix, Class<?> type) {
        Set<String> keys = new TreeSet<>();
        for (Method m : type.getMethods()) {
            if (m.isDefault() || Modifier.isStatic(m.getModifiers()) || m.getParameterCount() > 0) {
                continue;
            }
            String name = m.isAnnotationPresent(WithName.class) ? m.getAnnotation(WithName.class).value() : kebab(m.getName());
            String key = m.isAnnotationPresent(WithParentName.class) ? prefix : prefix + "." + name;
            Class<?> group = group(m.getGenericReturnType());
            if (group != null) {
                keys.addAll(keysOf(key, group));
            } else {
                keys.add(key);
            }
        }
        return keys;
    }

    /** The nested group interface a method returns (also inside Optional), or null for a value. */
    private static Class<?> group(Type type) {
        if (type instanceof ParameterizedType p && p.getRawType() == java.util.Optional.class) {
            return group(p.getActualTypeArguments()[0]);
        }
        if (type instanceof Class<?> c && c.isInterface() && !c.getName().startsWith("java.")) {
            return c;
        }
        return null;
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    /** Keys in the first column of the tables: relative to the section's prefix, or full {@code sensorfleet.*} keys. */
    static Set<String> documentedKeys(List<String> lines) {
        Set<String> keys = new TreeSet<>();
        String prefix = null;
        for (String line : lines) {
            Matcher section = SECTION.matcher(line);
            if (section.matches()) {
                prefix = section.group(1);
                continue;
            }
            if (line.startsWith("#")) {
                prefix = null;
                continue;
            }
            if (!line.startsWith("|") || line.startsWith("|---")) {
                continue;
            }
            String firstCell = line.split("\\|")[1];
            Matcher ticked = TICKED.matcher(firstCell);
            while (ticked.find()) {
                String token = ticked.group(1);
                if (!KEY.matcher(token).matches()) {
                    continue;
                }
                if (token.startsWith("sensorfleet.")) {
                    keys.add(token);
                } else if (prefix != null) {
                    keys.add(prefix + "." + token);
                }
            }
        }
        return keys;
    }

    private static List<Path> javaSources() throws IOException {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
    }

    private static Set<String> minus(Set<String> a, Set<String> b) {
        Set<String> out = new TreeSet<>(a);
        out.removeAll(b);
        return out;
    }
}
