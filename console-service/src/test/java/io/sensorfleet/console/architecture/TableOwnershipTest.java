package io.sensorfleet.console.architecture;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The sensors table has one owner: SQL that changes it, and the derivation of a sensor's
 * connectivity, live in {@code sensors/} only; other features call {@code sensors.SensorStore}.
 * Checked on the sources, since the SQL is text that class files do not show as a dependency.
 */
class TableOwnershipTest {
    private static final Path SOURCES = Path.of("src/main/java/io/sensorfleet/console");
    private static final Pattern WRITES_SENSORS =
            Pattern.compile("(update|insert into|delete from)\\s+sensors\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern DERIVES_CONNECTIVITY = Pattern.compile("then\\s+'(OUT_OF_SYNC|SYNCED|TIME_DIFF_OFFSET)'");

    @Test
    void onlySensorsPackageWritesTheSensorsTable() throws IOException {
        assertEquals(List.of(), filesMatching(WRITES_SENSORS).stream()
                .filter(p -> !p.startsWith(SOURCES.resolve("sensors"))).toList());
    }

    @Test
    void connectivityIsDerivedInOnePlace() throws IOException {
        assertEquals(List.of(SOURCES.resolve("sensors/ConnectivityRule.java")), filesMatching(DERIVES_CONNECTIVITY));
    }

    private static List<Path> filesMatching(Pattern pattern) throws IOException {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            return files.filter(p -> p.toString().endsWith(".java")).filter(p -> {
                try {
                    return pattern.matcher(Files.readString(p)).find();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).sorted().toList();
        }
    }
}
