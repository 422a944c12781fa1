package io.sensorfleet.console.common;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JVM options the console needs but cannot set for itself (they are read before any of our
 * code runs) are on every line that starts it: the systemd unit, the Kubernetes
 * manifest and its README, the local run script and the benchmarks, and docs/configuration.md
 * names those places. Without this, a launch place edited later would quietly run a console that
 * behaves differently from the one measured.
 */
class ConsoleJvmOptionsTest {
    private static final Path ROOT = Path.of("..");
    private static final List<String> REQUIRED = List.of("-XX:-G1UseAdaptiveIHOP", "-XX:ThreadPriorityPolicy=1");
    /** Each launch place, and how its console launch line is recognised. */
    private static final Map<String, Pattern> LAUNCHES = Map.of(
            // the package's launcher (deploy/console-launch.sh), which adds only the ahead-of-time cache
            "deploy/systemd/sensorfleet-console.service", Pattern.compile("^ExecStart=\\S*/bin/sensorfleet-console "),
            // the server, not the recovery commands (same jar, a command after it)
            "deploy/kubernetes/sensorfleet-console.yaml", Pattern.compile("exec java .*-jar \\S*quarkus-run\\.jar\\s*$"),
            "deploy/kubernetes/README.md", Pattern.compile("exec java .*-jar \\S*quarkus-run\\.jar`"),
            "deploy/local/run.sh", Pattern.compile("\"\\$java\" .*-jar console-service/\\S*quarkus-run\\.jar"),
            "bench/lib/env.sh", Pattern.compile("deploy/console-launch\\.sh\" \"-Xmx\\$CONSOLE_HEAP\""));

    @Test
    void everyPlaceThatStartsTheConsoleGivesItTheSameJvmOptions() throws IOException {
        for (Map.Entry<String, Pattern> place : LAUNCHES.entrySet()) {
            List<String> launches = Files.readAllLines(ROOT.resolve(place.getKey())).stream()
                    .filter(line -> place.getValue().matcher(line).find()).toList();
            assertEquals(1, launches.size(), place.getKey() + ": one console launch line, found " + launches);
            for (String option : REQUIRED) {
                assertTrue(List.of(launches.getFirst().split("\\s+")).contains(option),
                        place.getKey() + " starts the console without " + option + ": " + launches.getFirst());
            }
        }
    }

    @Test
    void theConfigurationDocsNameEveryOptionAndWhereItIsSet() throws IOException {
        List<String> doc = Files.readAllLines(ROOT.resolve("docs/configuration.md"));
        for (String option : REQUIRED) {
            List<String> rows = doc.stream().filter(line -> line.startsWith("| `" + option + "`")).toList();
            assertEquals(1, rows.size(), "docs/configuration.md: one row for " + option);
            for (String named : List.of("systemd unit", "Kubernetes manifest", "`deploy/local/run.sh`", "benchmarks")) {
                assertTrue(rows.getFirst().contains(named), "docs/configuration.md row for " + option + " names " + named);
            }
        }
    }
}
