package io.sensorfleet.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Argument parsing and exit codes, without a console: everything here fails before any request. */
class CommandLineTest {
    @TempDir
    Path config;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String stdin, Map<String, String> env, String... args) {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("XDG_CONFIG_HOME", config.toString());
        Context ctx = new Context(all, new BufferedReader(new StringReader(stdin)), new PrintWriter(out), new PrintWriter(err),
                Clock.fixed(Instant.parse("2026-12-04T10:00:00Z"), ZoneOffset.UTC), null);
        return Main.run(ctx, args);
    }

    private int run(String... args) {
        return run("", Map.of(), args);
    }

    @Test
    void noCommandIsAUsageError() {
        assertEquals(2, run());
        assertEquals(2, run("sensors"));
    }

    @Test
    void unknownOptionAndMalformedIdsAreUsageErrors() {
        assertEquals(2, run("sensors", "list", "--bogus"));
        assertEquals(2, run("sensors", "show", "rack-7"));
        assertEquals(2, run("sensors", "list", "--connectivity", "ONLINE"));
        assertEquals(2, run("connection-strings", "revoke"));
    }

    @Test
    void exportAndLabelArgumentsAreCheckedBeforeAnyRequest() {
        assertEquals(2, run("sensors", "export", "--format", "xml"));
        assertEquals(2, run("sensors", "label", "--id", "rack-7", "env=lab"));
        assertEquals(4, run("sensors", "export", "--format", "JSONL", "--label", "env=lab", "--update-status", "FAILED"));
    }

    @Test
    void labelConditionsRepeatInTheQueryAndAreALabelsListInTheFilterBody() {
        SensorFilter f = new SensorFilter();
        new picocli.CommandLine(f).parseArgs("--label", "env=prod", "--label", "rack", "--update-status", "failed");
        assertEquals("?updateStatus=FAILED&label=env%3Dprod&label=rack", ConsoleClient.queryString(f.query()));
        assertEquals(java.util.List.of("env=prod", "rack"), f.spec().get("labels"));
        assertFalse(f.spec().containsKey("label"));
    }

    @Test
    void enumValuesAreCaseInsensitive() {
        assertEquals(4, run("sensors", "list", "--connectivity", "synced", "--health", "failed"));
    }

    @Test
    void anApiCommandWithoutLoginExitsFour() {
        assertEquals(4, run("sensors", "list"));
        assertTrue(err.toString().startsWith("error: not logged in"), err.toString());
        assertEquals(1, err.toString().strip().lines().count());
    }

    @Test
    void anExpiredLoginExitsFourNamingTheTime() throws Exception {
        new SessionStore(config.resolve("sensorfleet")).save(new Session(java.net.URI.create("https://console.example:8443/"),
                "admin", "t", Instant.parse("2026-12-04T09:00:00Z"), null));
        assertEquals(4, run("sensors", "list"));
        assertTrue(err.toString().contains("expired at 2026-12-04T09:00:00Z"), err.toString());
    }

    @Test
    void loginRefusesPlainHttpBeforeAskingForThePassword() {
        assertEquals(2, run("admin\n", Map.of(), "login", "--console", "http://console.example:8443"));
        assertTrue(err.toString().contains("must be https"), err.toString());
    }

    @Test
    void loginRefusesAMissingCaFileAndAnEmptyPasswordFile() throws Exception {
        assertEquals(2, run("login", "--console", "https://console.example", "--user", "a", "--ca",
                config.resolve("none.pem").toString(), "--password-file", "/dev/null"));
        Path empty = Files.createFile(config.resolve("empty"));
        assertEquals(2, run("login", "--console", "https://console.example", "--user", "a", "--password-file", empty.toString()));
        assertFalse(Files.exists(config.resolve("sensorfleet/session.json")));
    }

    @Test
    void thePasswordIsNotAnOption() {
        assertEquals(2, run("login", "--console", "https://console.example", "--user", "a", "--password", "secret"));
    }

    @Test
    void anEmptyTokenFileIsAUsageError() throws Exception {
        Path token = Files.createFile(config.resolve("token"));
        assertEquals(2, run("sensors", "list", "--token-file", token.toString(), "--console", "https://console.example"));
    }

    @Test
    void aTokenWithoutAConsoleUrlIsAUsageError() {
        assertEquals(2, run("", Map.of("SENSORFLEET_TOKEN", "abc"), "sensors", "list"));
        assertTrue(err.toString().contains("no console URL"), err.toString());
    }

    @Test
    void unreachableConsoleExitsThree() {
        // Port 1 on the loopback: nothing listens there, the connection is refused at once.
        assertEquals(3, run("", Map.of("SENSORFLEET_TOKEN", "abc"), "sensors", "list", "--console", "https://127.0.0.1:1"));
        assertTrue(err.toString().startsWith("error: cannot reach https://127.0.0.1:1/"), err.toString());
    }

    @Test
    void assignNeedsExactlyOneTargetAndSomeSensors() {
        Map<String, String> env = Map.of("SENSORFLEET_TOKEN", "abc", "SENSORFLEET_CONSOLE", "https://127.0.0.1:1");
        assertEquals(2, run("", env, "sensors", "assign", "--to-zone", "7d2c9b7e-6f0a-4d38-9d8e-0c6f1a2b3c4d"));
        assertEquals(2, run("", env, "sensors", "assign", "--no-zone", "--to-zone", "7d2c9b7e-6f0a-4d38-9d8e-0c6f1a2b3c4d", "--all"));
        assertEquals(2, run("", env, "backups", "now"));
        assertEquals(2, run("", env, "rollouts", "start", "--package", "7d2c9b7e-6f0a-4d38-9d8e-0c6f1a2b3c4d"));
    }

    @Test
    void pagingBoundsAreCheckedBeforeAnyRequest() {
        Map<String, String> env = Map.of("SENSORFLEET_TOKEN", "abc", "SENSORFLEET_CONSOLE", "https://127.0.0.1:1");
        assertEquals(2, run("", env, "sensors", "list", "--page", "-1"));
        assertEquals(2, run("", env, "sensors", "list", "--size", "1001"));
        assertEquals(2, run("", env, "notifications", "tail", "--lines", "0"));
    }

    @Test
    void globalSettingsTakeNoIdAndOtherScopesNeedOne() {
        Map<String, String> env = Map.of("SENSORFLEET_TOKEN", "abc", "SENSORFLEET_CONSOLE", "https://127.0.0.1:1");
        assertEquals(2, run("", env, "settings", "get", "--scope", "zone"));
        assertEquals(2, run("", env, "settings", "get", "--id", "7d2c9b7e-6f0a-4d38-9d8e-0c6f1a2b3c4d"));
        assertEquals(2, run("", env, "settings", "set", "--scope", "planet", "a=b"));
        assertEquals(2, run("", env, "settings", "set", "novalue"));
    }

    @Test
    void logoutWithoutLoginSaysSo() {
        assertEquals(0, run("logout"));
        assertEquals("Not logged in", out.toString().strip());
    }
}
