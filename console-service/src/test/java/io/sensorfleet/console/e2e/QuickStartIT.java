package io.sensorfleet.console.e2e;

import io.sensorfleet.console.support.ThrowawayPostgres;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The README's run command, as a new user runs it: console and demo sensor up, the sensor SYNCED. */
class QuickStartIT {

    @Test
    void runCommandStartsConsoleAndDemoSensorThatIsSyncedAndStopsEverythingOnTerm() throws Exception {
        Path root = ThrowawayPostgres.repoRoot();
        Path home = Files.createTempDirectory("sensorfleet-quickstart-");
        // PostgreSQL runs as the unprivileged 'postgres' user when the tests run as root: it must reach the directory.
        Files.setPosixFilePermissions(home, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path out = home.resolve("run.out");
        ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("deploy/local/run.sh").toString())
                .directory(root.toFile()).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().remove("QUARKUS_DATASOURCE_JDBC_URL");
        pb.environment().put("SENSORFLEET_HOME", home.toString());
        pb.environment().put("SENSORFLEET_PG_DIR", home.resolve("pg").toString());
        pb.environment().put("SENSORFLEET_OPERATOR_PORT", String.valueOf(ThrowawayPostgres.freePort()));
        pb.environment().put("SENSORFLEET_AGENT_PORT", String.valueOf(ThrowawayPostgres.freePort()));
        Process run = pb.start();
        try {
            Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
            String text = "";
            while (Instant.now().isBefore(deadline) && !text.contains("Ctrl-C stops everything")) {
                if (!run.isAlive()) {
                    fail("run.sh exited with " + run.exitValue() + ":\n" + Files.readString(out));
                }
                Thread.sleep(250);
                text = Files.readString(out);
            }
            assertTrue(text.contains("Ctrl-C stops everything"), "run.sh did not come up:\n" + text);
            assertTrue(text.matches("(?s).*Console \\(operator plane\\): https://127\\.0\\.0\\.1:\\d+.*"), text);
            Matcher login = Pattern.compile("user 'admin', password '([^']+)'").matcher(text);
            assertTrue(login.find(), text);
            assertEquals(Files.readString(home.resolve("console/initial-admin-password")).strip(), login.group(1));
            assertTrue(text.matches("(?s).*Demo sensor: +[0-9a-f-]{36}, state SYNCED.*"), text);
        } finally {
            run.destroy();
            assertTrue(run.waitFor(60, TimeUnit.SECONDS), "run.sh did not stop on SIGTERM");
        }
        assertTrue(Files.readString(out).contains("[run] stopping"));
        assertTrue(!Files.exists(home.resolve("pg/data/postmaster.pid")), "PostgreSQL left running");
    }
}
