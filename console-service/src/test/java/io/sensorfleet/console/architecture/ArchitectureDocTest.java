package io.sensorfleet.console.architecture;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * docs/architecture.md's package map, module list and migration list match the code both ways: a
 * package, module or migration added without a line in the map fails here, and so does a line that
 * names one that no longer exists.
 */
class ArchitectureDocTest {
    /** A row of the console package map: {@code | `name/` | what it owns |}. */
    private static final Pattern PACKAGE_ROW = Pattern.compile("^\\| `([a-z]+)/` \\|", Pattern.MULTILINE);
    /** A row of the module map: {@code | **name** | …}. */
    private static final Pattern MODULE_ROW = Pattern.compile("^\\| \\*\\*([a-z-]+)\\*\\* \\|", Pattern.MULTILINE);
    private static final Pattern MODULE = Pattern.compile("<module>([a-z-]+)</module>");
    private static final Pattern MIGRATION = Pattern.compile("`(V\\d+__[a-z0-9_]+\\.sql)`");

    @Test
    void packageMapNamesEveryConsolePackageAndNoOther() throws IOException {
        Set<String> actual;
        try (Stream<Path> dirs = Files.list(repo("console-service/src/main/java/io/sensorfleet/console"))) {
            actual = dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(actual, all(PACKAGE_ROW, doc()), "console packages vs docs/architecture.md package map");
    }

    @Test
    void moduleMapNamesEveryMavenModuleAndNoOther() throws IOException {
        assertEquals(all(MODULE, Files.readString(repo("pom.xml"))), all(MODULE_ROW, doc()),
                "pom.xml modules vs docs/architecture.md module map");
    }

    @Test
    void everyMigrationIsDescribed() throws IOException {
        Set<String> actual;
        try (Stream<Path> files = Files.list(repo("console-service/src/main/resources/db/migration"))) {
            actual = files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(actual, all(MIGRATION, doc()), "migrations vs docs/architecture.md schema list");
    }

    private static Set<String> all(Pattern p, String text) {
        Set<String> found = new TreeSet<>();
        Matcher m = p.matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    private static String doc() throws IOException {
        return Files.readString(repo("docs/architecture.md"));
    }

    /** Tests run in console-service/; the repository root is its parent. */
    private static Path repo(String relative) {
        Path p = Path.of("..").resolve(relative);
        return Files.exists(p) ? p : Path.of(relative);
    }
}
