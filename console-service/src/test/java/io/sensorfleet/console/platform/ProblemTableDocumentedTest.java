package io.sensorfleet.console.platform;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/problems.md lists exactly the entries of {@link ProblemType}, with their status and title. */
class ProblemTableDocumentedTest {
    private static final Pattern ROW = Pattern.compile("^\\| `([a-z-]+)` \\| (\\d{3}) \\| (.+?) \\|$", Pattern.MULTILINE);

    @Test
    void docListsEveryProblemTypeAndNothingElse() throws IOException {
        Set<String> documented = new TreeSet<>();
        Matcher m = ROW.matcher(Files.readString(doc("problems.md")));
        while (m.find()) {
            documented.add(m.group(1) + " " + m.group(2) + " " + m.group(3));
        }
        Set<String> declared = Arrays.stream(ProblemType.values())
                .map(t -> t.slug() + " " + t.status() + " " + t.title())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(declared, documented, "docs/problems.md and platform.ProblemType differ");
    }

    @Test
    void architectureDocLinksTheProblemTable() throws IOException {
        assertTrue(Files.readString(doc("architecture.md")).contains("(problems.md)"),
                "docs/architecture.md should link the problem table");
    }

    @Test
    void everyTypeIsAUrnWithItsSlug() {
        for (ProblemType t : ProblemType.values()) {
            assertEquals("urn:sensorfleet:problem:" + t.slug(), t.uri());
            assertEquals(t, ProblemType.bySlug(t.slug()).orElseThrow());
        }
    }

    /** Tests run in console-service/; the docs are beside it. */
    private static Path doc(String name) {
        Path p = Path.of("..", "docs", name);
        return Files.exists(p) ? p : Path.of("docs", name);
    }
}
