package io.sensorfleet.console.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.sensorfleet.agent.Agent;
import io.sensorfleet.agent.AgentConfig;
import io.sensorfleet.agent.AgentLog;
import io.sensorfleet.agent.heartbeat.HeartbeatOutcome;
import io.sensorfleet.console.support.Cli;
import io.sensorfleet.console.support.ConsoleCluster;
import io.sensorfleet.console.support.ConsoleProcess;
import io.sensorfleet.console.support.OpensslPki;
import io.sensorfleet.console.support.ThrowawayPostgres;
import io.sensorfleet.protocol.v1.enrollment.ConnectionString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.sensorfleet.console.support.TestSensor.JSON;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real agent — its classes and its launcher — against the packaged console over real mTLS. */
class AgentEndToEndIT {
    static ConsoleCluster cluster;
    static ConsoleProcess console;

    @BeforeAll
    static void start() throws Exception {
        cluster = ConsoleCluster.start(1);
        console = cluster.console(0);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static JsonNode createConnectionString() throws Exception {
        HttpResponse<String> r = console.call("POST", "/api/v1/connection-strings", Map.of("description", "e2e"));
        assertEquals(201, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    static Agent agent(Path stateDir) {
        return new Agent(AgentConfig.defaults().withStateDir(stateDir).withHostname("e2e-sensor"), AgentLog.discard());
    }

    @Test
    void agentConnectsReportsAndIsSyncedAfterOneHeartbeat() throws Exception {
        Path dir = Files.createTempDirectory("agent-e2e-").resolve("state");
        Agent agent = agent(dir);
        agent.enroller().connect(ConnectionString.parse(createConnectionString().get("connectionString").asText()), false);

        String sensorId = JSON.readTree(Files.readString(dir.resolve("agent.json"))).get("sensorId").asText();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("sensor.key"))));

        HeartbeatOutcome outcome = agent.heartbeatLoop().runOnce();
        assertEquals(HeartbeatOutcome.Result.REPORTED, outcome.result(), String.valueOf(outcome.error()));
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            JsonNode sensor = JSON.readTree(console.call("GET", "/api/v1/sensors/" + sensorId, null).body());
            assertEquals("SYNCED", sensor.get("connectivity").asText());
            assertEquals("OK", sensor.get("healthStatus").asText());
            assertTrue(Math.abs(sensor.get("clockOffsetMs").asLong()) < 5_000, sensor.toString());
        });
    }

    @Test
    void agentRefusesAConsoleWhoseCaDiffersFromTheStringAndSendsNoToken() throws Exception {
        JsonNode created = createConnectionString();
        ConnectionString real = ConnectionString.parse(created.get("connectionString").asText());
        String otherFingerprint = real.caFingerprint().startsWith("0")
                ? "1" + real.caFingerprint().substring(1) : "0" + real.caFingerprint().substring(1);
        ConnectionString wrong = new ConnectionString(real.addresses(), real.token(), otherFingerprint);
        Path dir = Files.createTempDirectory("agent-e2e-").resolve("state");

        RuntimeException e = assertThrows(RuntimeException.class, () -> agent(dir).enroller().connect(wrong, false));
        assertTrue(e.getMessage().contains(otherFingerprint), e.getMessage());
        assertTrue(!Files.exists(dir.resolve("agent.json")), "nothing stored after a refused console");

        JsonNode token = JSON.readTree(console.call("GET", "/api/v1/connection-strings/" + created.get("id").asText(), null).body());
        assertEquals("ACTIVE", token.get("status").asText(), "the token must not have reached the console");
    }

    @Test
    void launcherScriptConnectsAndReportsStatusAsJson() throws Exception {
        Path launcher = ThrowawayPostgres.repoRoot().resolve("sensor-agent/bin/sensor-agent");
        Path dir = Files.createTempDirectory("agent-cli-").resolve("state");
        String cs = createConnectionString().get("connectionString").asText();

        Cli.Result connect = Cli.run(List.of(launcher.toString(), "connect", cs, "--state-dir", dir.toString()), null);
        assertEquals(0, connect.exit(), connect.all());
        Cli.Result status = Cli.run(List.of(launcher.toString(), "status", "--json", "--state-dir", dir.toString()), null);
        assertEquals(0, status.exit(), status.all());
        JsonNode json = JSON.readTree(status.out());
        String sensorId = json.get("sensorId").asText();
        assertEquals(200, console.call("GET", "/api/v1/sensors/" + sensorId, null).statusCode());

        Cli.Result again = Cli.run(List.of(launcher.toString(), "connect", cs, "--force", "--state-dir", dir.toString()), null);
        assertNotEquals(0, again.exit());
        assertEquals(1, again.err().strip().lines().count(), "one-line error: " + again.err());
        assertTrue(again.err().contains("token-used") || again.err().contains("already used"), again.err());
    }

    @Test
    void malformedConnectionStringIsAOneLineCliErrorNamingTheProblem() throws Exception {
        Path launcher = ThrowawayPostgres.repoRoot().resolve("sensor-agent/bin/sensor-agent");
        Path dir = Files.createTempDirectory("agent-cli-").resolve("state");
        String cs = createConnectionString().get("connectionString").asText();
        Cli.Result cut = Cli.run(List.of(launcher.toString(), "connect", cs.substring(0, cs.length() - 2),
                "--state-dir", dir.toString()), null);
        assertNotEquals(0, cut.exit());
        assertEquals("error: invalid connection string: checksum mismatch: the connection string was altered or truncated",
                cut.err().strip());
        assertTrue(!Files.exists(dir.resolve("agent.json")));
    }

    @Test
    void runningDaemonServesItsStatusOverHttpsAndPresentsAnImportedCertificateWithoutRestart() throws Exception {
        Path launcher = ThrowawayPostgres.repoRoot().resolve("sensor-agent/bin/sensor-agent");
        Path dir = Files.createTempDirectory("agent-https-").resolve("state");
        String cs = createConnectionString().get("connectionString").asText();
        assertEquals(0, Cli.run(List.of(launcher.toString(), "connect", cs, "--state-dir", dir.toString()), null).exit());
        OpensslPki pki = OpensslPki.create("agent-https-pki-");
        pki.write("srv.ext", "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        pki.leaf("sensor", 2048, "-sha256", "srv.ext", "ca");
        int port = ThrowawayPostgres.freePort();
        Process daemon = new ProcessBuilder(launcher.toString(), "run", "--status-port", String.valueOf(port),
                "--state-dir", dir.toString()).redirectErrorStream(true)
                .redirectOutput(Files.createTempFile("agent-https-", ".log").toFile()).start();
        try {
            String url = "https://127.0.0.1:" + port + "/status";
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() ->
                    Cli.run(List.of("curl", "-sk", "-o", "/dev/null", "-w", "%{http_code}", url), null).out().equals("200"));
            JsonNode status = JSON.readTree(Cli.run(List.of("curl", "-sk", url), null).out());
            assertEquals(JSON.readTree(Files.readString(dir.resolve("agent.json"))).get("sensorId").asText(),
                    status.get("sensorId").asText());
            assertTrue(status.get("httpsCertificateSelfSigned").asBoolean(), status.toString());

            Cli.Result imported = Cli.run(List.of(launcher.toString(), "certificate", "import", "--crt", pki.p("sensor.crt"),
                    "--key", pki.p("sensor.key"), "--chain", pki.p("ca.crt"), "--state-dir", dir.toString()), null);
            assertEquals(0, imported.exit(), imported.all());

            assertEquals(OpensslPki.fingerprint(pki.read("sensor.crt")), OpensslPki.presentedFingerprint(port));
            Cli.Result verified = Cli.run(List.of("curl", "-s", "--cacert", pki.p("ca.crt"), url), null);
            assertTrue(JSON.readTree(verified.out()).get("httpsCertificateSelfSigned").asBoolean() == false, verified.all());
            assertTrue(daemon.isAlive(), "the same daemon, not restarted");
        } finally {
            daemon.destroy();
            daemon.waitFor();
        }
    }
}
