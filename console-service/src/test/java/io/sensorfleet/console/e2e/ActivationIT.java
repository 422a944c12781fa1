package io.sensorfleet.console.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.sensorfleet.agent.Agent;
import io.sensorfleet.agent.AgentConfig;
import io.sensorfleet.agent.AgentLog;
import io.sensorfleet.agent.activation.Activator;
import io.sensorfleet.agent.client.AgentTls;
import io.sensorfleet.agent.client.ConsoleClientFactory;
import io.sensorfleet.agent.heartbeat.HeartbeatOutcome;
import io.sensorfleet.agent.identity.StateDir;
import io.sensorfleet.console.support.Cli;
import io.sensorfleet.console.support.ConsoleCluster;
import io.sensorfleet.console.support.ConsoleProcess;
import io.sensorfleet.console.support.ThrowawayPostgres;
import io.sensorfleet.protocol.v1.enrollment.ConnectionString;
import io.sensorfleet.lib.activation.ActivationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static io.sensorfleet.console.support.TestSensor.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real agent installs activation files from the packaged console. */
class ActivationIT {
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

    record Sensor(Path dir, String id, Activator activator) {
    }

    static Sensor sensor() throws Exception {
        HttpResponse<String> created = console.call("POST", "/api/v1/connection-strings", Map.of());
        String cs = JSON.readTree(created.body()).get("connectionString").asText();
        Path dir = Files.createTempDirectory("activation-it-").resolve("state");
        new Agent(AgentConfig.defaults().withStateDir(dir).withHostname("act-it"), AgentLog.discard())
                .enroller().connect(ConnectionString.parse(cs), false);
        String id = JSON.readTree(Files.readString(dir.resolve("agent.json"))).get("sensorId").asText();
        return new Sensor(dir, id, new Activator(new StateDir(dir), new AgentTls(), ConsoleClientFactory.standard(Duration.ofSeconds(10))));
    }

    static Path fileFor(String sensorId, Map<String, Object> request, Path dir) throws Exception {
        HttpResponse<String> issued = console.call("POST", "/api/v1/sensors/" + sensorId + "/activation", request);
        assertEquals(201, issued.statusCode(), issued.body());
        String fileId = JSON.readTree(issued.body()).get("id").asText();
        String content = console.call("GET", "/api/v1/sensors/" + sensorId + "/activation/" + fileId + "/file", null).body();
        Path file = Files.createTempFile(dir.getParent(), "activation", ".jws");
        Files.writeString(file, content);
        return file;
    }

    static JsonNode status(Path dir, Clock clock) {
        var out = new java.io.StringWriter();
        var err = new java.io.StringWriter();
        AgentConfig config = AgentConfig.defaults().withStateDir(dir).withClock(clock);
        int code = io.sensorfleet.agent.cli.AgentCli.execute(new String[]{"status", "--json", "--state-dir", dir.toString()},
                config, new java.io.PrintWriter(out), new java.io.PrintWriter(err));
        assertEquals(0, code, err.toString());
        try {
            return JSON.readTree(out.toString());
        } catch (Exception e) {
            throw new IllegalStateException(out.toString(), e);
        }
    }

    @Test
    void tamperedForeignAndUnknownKeyFilesAreEachRefusedAndTheOldActivationStays() throws Exception {
        Sensor s = sensor();
        Path good = fileFor(s.id(), Map.of("mode", "CONSOLE_CONNECTED"), s.dir());
        assertEquals("CONSOLE_CONNECTED", s.activator().activate(good).mode().name());
        String installed = Files.readString(s.dir().resolve("activation/current.jws"));

        String content = Files.readString(fileFor(s.id(), Map.of("mode", "CONSOLE_CONNECTED"), s.dir()));
        int i = content.indexOf('.') + 20;
        Path tampered = Files.writeString(s.dir().getParent().resolve("tampered.jws"),
                content.substring(0, i) + (content.charAt(i) == 'A' ? 'B' : 'A') + content.substring(i + 1));
        Path foreign = fileFor(sensor().id(), Map.of("mode", "CONSOLE_CONNECTED"), s.dir());
        Path notAFile = Files.writeString(s.dir().getParent().resolve("cert.pem"), "-----BEGIN CERTIFICATE-----\nMIIB\n");
        // Signed by a key the console never had: made with openssl, independently of our code.
        Path strangerKey = s.dir().getParent().resolve("stranger.pem");
        assertEquals(0, Cli.run(List.of("openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out",
                strangerKey.toString()), null).exit());
        String[] parts = content.split("\\.");
        Path signingInput = Files.writeString(s.dir().getParent().resolve("input"), parts[0] + "." + parts[1]);
        Cli.Result sig = Cli.run(List.of("openssl", "dgst", "-sha256", "-sign", strangerKey.toString(),
                signingInput.toString()), null);
        assertEquals(0, sig.exit(), sig.err());
        Path unknownKey = Files.writeString(s.dir().getParent().resolve("unknown.jws"), parts[0] + "." + parts[1] + "."
                + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[64]));

        var reasons = new java.util.HashMap<ActivationException.Reason, String>();
        for (Path bad : List.of(tampered, foreign, notAFile)) {
            ActivationException e = assertThrows(ActivationException.class, () -> s.activator().activate(bad));
            reasons.put(e.reason(), e.getMessage());
        }
        assertEquals(java.util.Set.of(ActivationException.Reason.TAMPERED, ActivationException.Reason.OTHER_SENSOR,
                ActivationException.Reason.NOT_AN_ACTIVATION_FILE), reasons.keySet(), reasons.toString());
        assertTrue(reasons.values().stream().distinct().count() == 3);
        assertThrows(ActivationException.class, () -> s.activator().activate(unknownKey));
        assertEquals(installed, Files.readString(s.dir().resolve("activation/current.jws")), "previous activation stays");
    }

    @Test
    void fileSignedByAKeyTheConsoleDoesNotKnowIsRefusedAsSuch() throws Exception {
        Sensor s = sensor();
        String content = Files.readString(fileFor(s.id(), Map.of("mode", "CONSOLE_CONNECTED"), s.dir()));
        String[] parts = content.split("\\.");
        String header = new String(java.util.Base64.getUrlDecoder().decode(parts[0]));
        String otherHeader = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                header.replaceAll("\"kid\":\"[0-9a-f]+\"", "\"kid\":\"0123456789abcdef\"").getBytes());
        Path file = Files.writeString(s.dir().getParent().resolve("other-kid.jws"), otherHeader + "." + parts[1] + "." + parts[2]);
        ActivationException e = assertThrows(ActivationException.class, () -> s.activator().activate(file));
        assertEquals(ActivationException.Reason.UNKNOWN_KEY, e.reason(), e.getMessage());
    }

    @Test
    void expiryWarningShowsThirtyDaysAheadAndAnExpiredSensorStillReports() throws Exception {
        Sensor s = sensor();
        s.activator().activate(fileFor(s.id(), Map.of("mode", "LOCALLY_MANAGED", "validDays", 90), s.dir()));
        Instant now = Instant.now();
        assertTrue(status(s.dir(), Clock.systemUTC()).get("activationWarning").isNull());
        assertEquals("EXPIRING", status(s.dir(), Clock.fixed(now.plus(Duration.ofDays(61)), ZoneOffset.UTC))
                .get("activationWarning").asText());
        Clock afterExpiry = Clock.fixed(now.plus(Duration.ofDays(91)), ZoneOffset.UTC);
        assertEquals("EXPIRED", status(s.dir(), afterExpiry).get("activationWarning").asText());
        HeartbeatOutcome outcome = new Agent(AgentConfig.defaults().withStateDir(s.dir()), AgentLog.discard())
                .heartbeatLoop().runOnce();
        assertEquals(HeartbeatOutcome.Result.REPORTED, outcome.result(), String.valueOf(outcome.error()));
    }

    @Test
    void renameRoundTripGivesTheSensorItsNewNameInTheInventoryAndOnTheSensor() throws Exception {
        Sensor s = sensor();
        HttpResponse<String> renamed = console.call("POST", "/api/v1/sensors/" + s.id() + "/activation/rename",
                Map.of("name", "plant3-line2"));
        assertEquals(201, renamed.statusCode(), renamed.body());
        String fileId = JSON.readTree(renamed.body()).get("id").asText();
        String content = console.call("GET", "/api/v1/sensors/" + s.id() + "/activation/" + fileId + "/file", null).body();
        Path file = Files.writeString(s.dir().getParent().resolve("rename.jws"), content);
        s.activator().activate(file);
        assertEquals("plant3-line2", JSON.readTree(console.call("GET", "/api/v1/sensors/" + s.id(), null).body())
                .get("name").asText());
        assertEquals("plant3-line2", JSON.readTree(Files.readString(s.dir().resolve("agent.json"))).get("sensorName").asText());
        assertNotEquals(0, Files.size(s.dir().resolve("activation/current.jws")));
    }

    @Test
    void activateCommandPrintsOneLineErrorForAFileForAnotherSensor() throws Exception {
        Sensor s = sensor();
        Path foreign = fileFor(sensor().id(), Map.of("mode", "CONSOLE_CONNECTED"), s.dir());
        Path launcher = ThrowawayPostgres.repoRoot().resolve("sensor-agent/bin/sensor-agent");
        Cli.Result r = Cli.run(List.of(launcher.toString(), "activate", foreign.toString(), "--state-dir",
                s.dir().toString()), null);
        assertNotEquals(0, r.exit());
        assertTrue(r.err().startsWith("error: the activation file is for sensor "), r.err());
        assertEquals(1, r.err().strip().lines().count());
    }
}
