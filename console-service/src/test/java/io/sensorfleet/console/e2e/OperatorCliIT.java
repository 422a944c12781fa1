package io.sensorfleet.console.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.sensorfleet.console.support.Cli;
import io.sensorfleet.console.support.ConsoleProcess;
import io.sensorfleet.console.support.ThrowawayPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.sensorfleet.console.support.TestSensor.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator CLI as an operator runs it: its launcher (operator-cli/bin/sensorfleet, the built
 * jar in its own JVM) against the packaged console with a real PostgreSQL over verified TLS. Each
 * test has its own config directory (XDG_CONFIG_HOME), so logins do not leak between tests.
 */
class OperatorCliIT {
    private static final String FIND_JAVA = "find-java";
    private static final String READER = "cli-reader";
    private static final String READER_PASSWORD = "cli reader password 7";

    static ThrowawayPostgres pg;
    static ConsoleProcess console;
    static Path caFile;

    @BeforeAll
    static void start() throws Exception {
        pg = ThrowawayPostgres.start();
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        console = ConsoleProcess.start(pg, Base64.getEncoder().encodeToString(key), Map.of());
        caFile = console.dataDir.resolve("tls/operator-cert.pem");
        assertEquals(201, console.call("POST", "/api/v1/users",
                Map.of("username", READER, "password", READER_PASSWORD, "role", "READ_ONLY")).statusCode());
    }

    @AfterAll
    static void stop() {
        if (console != null) {
            console.close();
        }
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void commandWithoutLoginExitsFourAndLogoutForgetsTheToken() throws Exception {
        Path config = configDir();
        // The launcher finding Java by itself (deploy/find-java.sh), as on a workstation; the other calls name it.
        Cli.Result none = run(config, Map.of(FIND_JAVA, ""), "sensors", "list");
        assertEquals(4, none.exit(), none.all());
        assertTrue(none.err().contains("not logged in"), none.err());

        login(config, "admin", ConsoleProcess.ADMIN_PASSWORD);
        assertEquals(0, sensorfleet(config, "sensors", "list").exit());
        Cli.Result logout = sensorfleet(config, "logout");
        assertEquals(0, logout.exit(), logout.all());
        assertFalse(Files.exists(config.resolve("sensorfleet/session.json")));
        assertEquals(4, sensorfleet(config, "sensors", "list").exit());
    }

    @Test
    void loginKeepsTheTokenInAFileOnlyItsOwnerCanRead() throws Exception {
        Path config = configDir();
        Cli.Result login = login(config, "admin", ConsoleProcess.ADMIN_PASSWORD);
        assertTrue(login.out().contains("Logged in to " + console.operatorBaseUri() + "/ as admin"), login.out());
        Path session = config.resolve("sensorfleet/session.json");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(session)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(session.getParent())));
        JsonNode kept = JSON.readTree(session.toFile());
        assertEquals(caFile.toAbsolutePath().toString(), kept.get("caFile").asText());
        assertFalse(Files.readString(session).contains(ConsoleProcess.ADMIN_PASSWORD), "the password is not kept");

        Cli.Result wrong = login(configDir(), "admin", "not the password");
        assertEquals(1, wrong.exit(), wrong.all());
        assertTrue(wrong.err().startsWith("error: ") && wrong.err().contains("(401)"), wrong.err());
    }

    @Test
    void untrustedConsoleCertificateExitsThreeAndKeepsNoLogin() throws Exception {
        Path config = configDir();
        Path password = Files.writeString(config.resolve("pw"), ConsoleProcess.ADMIN_PASSWORD);
        Cli.Result r = sensorfleet(config, "login", "--console", console.operatorBaseUri(), "--user", "admin",
                "--password-file", password.toString());
        assertEquals(3, r.exit(), r.all());
        assertTrue(r.err().startsWith("error: TLS with"), r.err());
        assertFalse(Files.exists(config.resolve("sensorfleet/session.json")));
    }

    @Test
    void connectionStringsAreCreatedListedAndRevoked() throws Exception {
        Path config = configDir();
        login(config, "admin", ConsoleProcess.ADMIN_PASSWORD);
        Cli.Result created = sensorfleet(config, "connection-strings", "create", "--description", "cli rack 1", "--json");
        assertEquals(0, created.exit(), created.all());
        JsonNode c = JSON.readTree(created.out());
        String id = c.get("id").asText();
        assertFalse(c.get("connectionString").asText().isBlank());

        Cli.Result human = sensorfleet(config, "connection-strings", "create", "--description", "cli rack 2");
        assertEquals(0, human.exit(), human.all());
        assertEquals(1, human.out().strip().lines().count(), "only the string on stdout: " + human.out());

        Cli.Result list = sensorfleet(config, "connection-strings", "list", "--json");
        assertEquals(0, list.exit(), list.all());
        JsonNode page = JSON.readTree(list.out());
        assertTrue(page.get("total").asLong() >= 2);
        assertEquals("ACTIVE", item(page, id).get("status").asText());
        Cli.Result table = sensorfleet(config, "connection-strings", "list");
        assertTrue(table.out().lines().findFirst().orElse("").startsWith("ID"), table.out());
        assertTrue(table.out().lines().anyMatch(l -> l.startsWith(id) && l.contains("ACTIVE") && l.contains("cli rack 1")),
                table.out());

        Cli.Result revoke = sensorfleet(config, "connection-strings", "revoke", id);
        assertEquals(0, revoke.exit(), revoke.all());
        JsonNode revoked = JSON.readTree(sensorfleet(config, "connection-strings", "list", "--status", "revoked", "--json").out());
        assertEquals("REVOKED", item(revoked, id).get("status").asText());
        Cli.Result unknown = sensorfleet(config, "connection-strings", "revoke", java.util.UUID.randomUUID().toString());
        assertEquals(1, unknown.exit(), unknown.all());
        assertTrue(unknown.err().contains("(404)"), unknown.err());
    }

    @Test
    void sensorsAreListedAsJsonAndAsATableAndShown() throws Exception {
        Path config = configDir();
        login(config, "admin", ConsoleProcess.ADMIN_PASSWORD);
        String cs = sensorfleet(config, "connection-strings", "create", "--description", "cli sensor").out().strip();
        Path state = Files.createTempDirectory("cli-agent-").resolve("state");
        Path agent = ThrowawayPostgres.repoRoot().resolve("sensor-agent/bin/sensor-agent");
        Cli.Result connect = Cli.run(List.of(agent.toString(), "connect", cs, "--state-dir", state.toString()), null);
        assertEquals(0, connect.exit(), connect.all());
        String sensorId = JSON.readTree(Cli.run(List.of(agent.toString(), "status", "--json", "--state-dir",
                state.toString()), null).out()).get("sensorId").asText();

        Cli.Result json = sensorfleet(config, "sensors", "list", "--json");
        assertEquals(0, json.exit(), json.all());
        JsonNode page = JSON.readTree(json.out());
        JsonNode sensor = item(page, sensorId);
        assertEquals(page.get("items").size(), page.get("total").asInt(), "every page fetched");

        Cli.Result table = sensorfleet(config, "sensors", "list");
        assertEquals(0, table.exit(), table.all());
        assertTrue(table.out().startsWith("NAME"), table.out());
        assertTrue(table.out().lines().anyMatch(l -> l.startsWith(sensor.get("name").asText()) && l.contains(sensorId)),
                table.out());

        Cli.Result onePage = sensorfleet(config, "sensors", "list", "--page", "0", "--size", "1", "--json",
                "--name", sensor.get("name").asText());
        assertEquals(1, JSON.readTree(onePage.out()).get("size").asInt(), onePage.all());

        Cli.Result show = sensorfleet(config, "sensors", "show", sensorId, "--json");
        assertEquals(sensorId, JSON.readTree(show.out()).get("id").asText());
        Cli.Result bad = sensorfleet(config, "sensors", "show", "not-a-uuid");
        assertEquals(2, bad.exit(), bad.all());

        Cli.Result assign = sensorfleet(config, "sensors", "assign", sensorId, "--no-zone", "--json");
        assertEquals(0, assign.exit(), assign.all());
        assertTrue(JSON.readTree(assign.out()).get("zoneId").isNull(), assign.out());
    }

    @Test
    void sensorsAreLabelledByFilterAndExportedAndABadLabelShowsTheProblem() throws Exception {
        String p = "cli-lbl-" + java.util.UUID.randomUUID().toString().substring(0, 6) + "-";
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(pg.jdbcUrl, pg.username, pg.password)) {
            io.sensorfleet.console.support.SqlFleet.insert(c, p, 5);
        }
        Path config = configDir();
        login(config, "admin", ConsoleProcess.ADMIN_PASSWORD);

        Cli.Result label = sensorfleet(config, "sensors", "label", "--name", p, "env=lab", "owner=ops", "--json");
        assertEquals(0, label.exit(), label.all());
        assertEquals(5, JSON.readTree(label.out()).get("sensors").asInt(), label.out());
        Cli.Result human = sensorfleet(config, "sensors", "label", "--name", p, "--label", "owner=ops", "--remove", "owner");
        assertEquals(0, human.exit(), human.all());
        assertTrue(human.out().startsWith("Labelled 5 sensors") && human.out().contains("5 removed"), human.out());

        Cli.Result bad = sensorfleet(config, "sensors", "label", "--name", p, "bad key=x");
        assertEquals(1, bad.exit(), bad.all());
        assertTrue(bad.err().startsWith("error: ") && bad.err().contains("(400)") && bad.err().contains("label key"),
                bad.err());
        assertEquals(2, sensorfleet(config, "sensors", "label", "env=lab").exit(), "no target is a usage error");
        assertEquals(2, sensorfleet(config, "sensors", "label", "--name", p).exit(), "nothing to change");

        Cli.Result list = sensorfleet(config, "sensors", "list", "--label", "env=lab", "--name", p, "--json");
        assertEquals(5, JSON.readTree(list.out()).get("total").asInt(), list.all());
        assertEquals(0, JSON.readTree(sensorfleet(config, "sensors", "list", "--label", "owner", "--name", p, "--json")
                .out()).get("total").asInt(), "owner was removed");

        Cli.Result csv = sensorfleet(config, "sensors", "export", "--name", p, "--label", "env=lab");
        assertEquals(0, csv.exit(), csv.all());
        assertEquals(6, csv.out().lines().count(), csv.out());
        assertTrue(csv.out().startsWith("id,name,") && csv.out().contains("\"env=lab\""), csv.out());

        Path file = Files.createTempDirectory("cli-export-").resolve("sensors.jsonl");
        Cli.Result jsonl = sensorfleet(config, "sensors", "export", "--format", "jsonl", "--name", p, "-o",
                file.toString(), "--json");
        assertEquals(0, jsonl.exit(), jsonl.all());
        assertEquals(5, JSON.readTree(jsonl.out()).get("sensors").asInt(), jsonl.out());
        List<String> lines = Files.readAllLines(file);
        assertEquals(5, lines.size());
        assertEquals("lab", JSON.readTree(lines.get(0)).get("labels").get("env").asText());

        Cli.Result refused = sensorfleet(config, "sensors", "export", "--label", "bad key", "-o", file.toString());
        assertEquals(1, refused.exit(), refused.all());
        assertTrue(refused.err().contains("(400)") && refused.err().contains("label key"), refused.err());
        assertEquals(5, Files.readAllLines(file).size(), "a refused export leaves the earlier file alone");
        assertEquals(2, sensorfleet(config, "sensors", "export", "--format", "xml").exit());
    }

    @Test
    void backupsRolloutsAndNotificationsPrintTheApisAnswers() throws Exception {
        Path config = configDir();
        login(config, "admin", ConsoleProcess.ADMIN_PASSWORD);
        for (List<String> args : List.of(List.of("backups", "list", "--json"), List.of("rollouts", "status", "--json"),
                List.of("notifications", "tail", "--json"))) {
            Cli.Result r = sensorfleet(config, args.toArray(String[]::new));
            assertEquals(0, r.exit(), args + ": " + r.all());
            assertTrue(JSON.readTree(r.out()).get("items").isArray(), args + ": " + r.out());
        }
        Cli.Result pause = sensorfleet(config, "rollouts", "pause", java.util.UUID.randomUUID().toString());
        assertEquals(1, pause.exit(), pause.all());
        assertTrue(pause.err().contains("(404)"), pause.err());
    }

    @Test
    void settingsAreSetAndReadAndARefusedChangeShowsTheProblemAndChangesNothing() throws Exception {
        Path config = configDir();
        login(config, "admin", ConsoleProcess.ADMIN_PASSWORD);
        String key = "system.diskUsageAlarmPercent";

        Cli.Result unconfirmed = sensorfleet(config, "settings", "set", key + "=90");
        assertEquals(1, unconfirmed.exit(), unconfirmed.all());
        assertEquals(1, unconfirmed.err().strip().lines().count(), unconfirmed.err());
        assertTrue(unconfirmed.err().contains("(409)") && unconfirmed.err().contains("confirm"), unconfirmed.err());

        Cli.Result set = sensorfleet(config, "settings", "set", key + "=90", "--confirm");
        assertEquals(0, set.exit(), set.all());
        assertTrue(set.out().startsWith("Revision "), set.out());

        Cli.Result invalid = sensorfleet(config, "settings", "set", key + "=200", "--confirm");
        assertEquals(1, invalid.exit(), invalid.all());
        assertTrue(invalid.err().startsWith("error: ") && invalid.err().contains("(400)"), invalid.err());
        assertTrue(invalid.err().contains(key), "the console's detail names the setting: " + invalid.err());

        Cli.Result get = sensorfleet(config, "settings", "get", "--json");
        assertEquals(0, get.exit(), get.all());
        assertEquals(90, JSON.readTree(get.out()).get("values").get(key).asInt(), "the refused value changed nothing");
        Cli.Result table = sensorfleet(config, "settings", "get", "--scope", "global");
        assertTrue(table.out().lines().anyMatch(l -> l.matches(java.util.regex.Pattern.quote(key) + " +90")), table.out());
        assertEquals(2, sensorfleet(config, "settings", "get", "--scope", "zone").exit(), "a zone needs --id");
    }

    @Test
    void readOnlyUserIsRefusedWithTheConsolesProblemAndNothingIsCreated() throws Exception {
        Path config = configDir();
        login(config, READER, READER_PASSWORD);
        long before = JSON.readTree(console.call("GET", "/api/v1/connection-strings", null).body()).get("total").asLong();
        Cli.Result r = sensorfleet(config, "connection-strings", "create", "--description", "not allowed");
        assertEquals(1, r.exit(), r.all());
        assertTrue(r.err().startsWith("error: ") && r.err().contains("(403)"), r.err());
        assertEquals("", r.out());
        long after = JSON.readTree(console.call("GET", "/api/v1/connection-strings", null).body()).get("total").asLong();
        assertEquals(before, after);
        assertEquals(0, sensorfleet(config, "connection-strings", "list").exit(), "reading is allowed");
    }

    @Test
    void scriptsUseATokenFileOrTheEnvironmentWithoutLogin() throws Exception {
        Path loggedIn = configDir();
        login(loggedIn, "admin", ConsoleProcess.ADMIN_PASSWORD);
        String token = JSON.readTree(loggedIn.resolve("sensorfleet/session.json").toFile()).get("token").asText();
        Path config = configDir();
        Path tokenFile = Files.writeString(config.resolve("token"), token + "\n");
        Cli.Result r = sensorfleet(config, "sensors", "list", "--json", "--token-file", tokenFile.toString(),
                "--console", console.operatorBaseUri(), "--ca", caFile.toString());
        assertEquals(0, r.exit(), r.all());
        Cli.Result env = run(config, Map.of("SENSORFLEET_TOKEN", token, "SENSORFLEET_CONSOLE", console.operatorBaseUri(),
                "SENSORFLEET_CA", caFile.toString()), "settings", "get", "--json");
        assertEquals(0, env.exit(), env.all());
        Cli.Result bad = run(config, Map.of("SENSORFLEET_TOKEN", "garbage", "SENSORFLEET_CONSOLE", console.operatorBaseUri(),
                "SENSORFLEET_CA", caFile.toString()), "sensors", "list");
        assertEquals(4, bad.exit(), bad.all());
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private static Path configDir() throws Exception {
        return Files.createTempDirectory("sensorfleet-cli-config-");
    }

    private static Cli.Result login(Path config, String user, String password) throws Exception {
        Path file = Files.createTempFile(config, "pw", "");
        Files.writeString(file, password + "\n");
        Cli.Result r = sensorfleet(config, "login", "--console", console.operatorBaseUri(), "--user", user,
                "--password-file", file.toString(), "--ca", caFile.toString());
        if (password.equals(ConsoleProcess.ADMIN_PASSWORD) || password.equals(READER_PASSWORD)) {
            assertEquals(0, r.exit(), r.all());
        }
        return r;
    }

    private static JsonNode item(JsonNode page, String id) {
        for (JsonNode i : page.get("items")) {
            if (id.equals(i.get("id").asText())) {
                return i;
            }
        }
        throw new AssertionError(id + " not in " + page);
    }

    private static Cli.Result sensorfleet(Path config, String... args) throws Exception {
        return run(config, Map.of(), args);
    }

    /** The launcher with only this config directory and these variables: nothing from the test's own environment leaks in. */
    private static Cli.Result run(Path config, Map<String, String> extraEnv, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(ThrowawayPostgres.repoRoot().resolve("operator-cli/bin/sensorfleet").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().keySet().removeIf(k -> k.startsWith("SENSORFLEET_"));
        pb.environment().put("XDG_CONFIG_HOME", config.toString());
        if (!extraEnv.containsKey(FIND_JAVA)) {
            // This JVM's java (21 or newer): spares each of the many short runs the search for one.
            pb.environment().put("SENSORFLEET_JAVA", ProcessHandle.current().info().command().orElseThrow());
        }
        extraEnv.forEach((k, v) -> {
            if (!k.equals(FIND_JAVA)) {
                pb.environment().put(k, v);
            }
        });
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("sensorfleet " + List.of(args) + " did not finish within 60 s");
        }
        return new Cli.Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
