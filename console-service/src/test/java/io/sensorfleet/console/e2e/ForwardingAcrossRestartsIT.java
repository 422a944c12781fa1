package io.sensorfleet.console.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.sensorfleet.console.support.Cli;
import io.sensorfleet.console.support.ConsoleProcess;
import io.sensorfleet.console.support.RestartableConsoles;
import io.sensorfleet.console.support.Rules;
import io.sensorfleet.console.support.TestSensor;
import io.sensorfleet.console.support.ThrowawayPostgres;
import io.sensorfleet.console.support.WebhookReceiver;
import io.sensorfleet.protocol.v1.alerts.AlertReport;
import io.sensorfleet.protocol.v1.enrollment.ConnectionString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;

import static io.sensorfleet.console.support.TestSensor.JSON;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Nothing is lost when the console restarts while a receiver, or the console itself, is away. */
class ForwardingAcrossRestartsIT {
    static RestartableConsoles cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = RestartableConsoles.start(1, RestartableConsoles.FAST);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static ConsoleProcess console() {
        return cluster.console(0);
    }

    static JsonNode get(String path) throws Exception {
        HttpResponse<String> r = console().call("GET", path, null);
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    static String connectionString() throws Exception {
        HttpResponse<String> r = console().call("POST", "/api/v1/connection-strings", Map.of("description", "restarts"));
        assertEquals(201, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("connectionString").asText();
    }

    static Set<String> alertIds(String sensorId) throws Exception {
        JsonNode page = get("/api/v1/notifications?category=ALERT&size=1000&sensorId=" + sensorId);
        Set<String> ids = new TreeSet<>();
        page.get("items").forEach(n -> ids.add(n.get("id").asText()));
        return ids;
    }

    @Test
    void messagesWaitingForADownReceiverSurviveAConsoleRestartAndAllArrive() throws Exception {
        int receiverPort = ThrowawayPostgres.freePort();
        String caPem = get("/api/v1/certificates/agent-ca").get("certificatePem").asText();
        TestSensor sensor = new TestSensor(cluster.agentBaseUri(0), caPem);
        assertEquals(200, sensor.enroll(ConnectionString.parse(connectionString()).token()).statusCode());
        String sensorId = sensor.identity().sensorId();
        // Alerts only: the sensor's own disconnect (it never sends a heartbeat) would add one more message.
        HttpResponse<String> rule = console().call("POST", "/api/v1/forwarding-rules", Rules.with(Rules.forSensors(
                List.of(sensorId), List.of(Rules.webhook("http://127.0.0.1:" + receiverPort + "/hook"))),
                "reportSystemNotifications", false));
        assertEquals(201, rule.statusCode(), rule.body());
        String ruleId = JSON.readTree(rule.body()).get("id").asText();
        int count = 25;
        for (int i = 0; i < count; i++) {
            assertEquals(200, sensor.alert(new AlertReport("burst-" + i, "alert " + i, AlertReport.Severity.MAJOR,
                    "Anomaly", "Modbus", "10.0.0." + i, "plc-1", Instant.now())).statusCode());
        }
        Set<String> recorded = alertIds(sensorId);
        assertEquals(count, recorded.size());
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).until(() -> {
            JsonNode pending = get("/api/v1/forwarding-rules/" + ruleId + "/deliveries?state=PENDING&size=1000");
            return pending.get("total").asInt() == count && StreamSupport.stream(pending.get("items").spliterator(), false)
                    .allMatch(d -> d.get("attempts").asInt() >= 1);
        });

        cluster.restart(0);
        try (WebhookReceiver receiver = WebhookReceiver.start(receiverPort)) {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() ->
                    receiver.received().stream().map(WebhookReceiver.Received::eventIdHeader)
                            .collect(java.util.stream.Collectors.toSet()).size() >= count);

            Set<String> arrived = new TreeSet<>(receiver.received().stream()
                    .map(WebhookReceiver.Received::eventIdHeader).toList());
            assertEquals(recorded, arrived, "every notification arrived, none lost");
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250)).until(() ->
                    get("/api/v1/forwarding-rules/" + ruleId + "/deliveries?state=DELIVERED").get("total").asInt() == count);
        }
    }

    @Test
    void alertQueuedByTheAgentWhileTheConsoleIsDownArrivesOnceAfterItComesBack() throws Exception {
        Path launcher = ThrowawayPostgres.repoRoot().resolve("sensor-agent/bin/sensor-agent");
        Path stateDir = Files.createTempDirectory("agent-alerts-").resolve("state");
        Cli.Result connect = Cli.run(List.of(launcher.toString(), "connect", connectionString(), "--state-dir",
                stateDir.toString()), null);
        assertEquals(0, connect.exit(), connect.all());
        String sensorId = JSON.readTree(Files.readString(stateDir.resolve("agent.json"))).get("sensorId").asText();
        Process daemon = new ProcessBuilder(launcher.toString(), "run", "--state-dir", stateDir.toString())
                .redirectErrorStream(true).redirectOutput(stateDir.resolveSibling("run.log").toFile()).start();
        try {
            cluster.stop(0);
            String title = "Unauthorized firmware download " + UUID.randomUUID();
            Cli.Result alert = Cli.run(List.of(launcher.toString(), "alert", "--state-dir", stateDir.toString(),
                    "--title", title, "--severity", "Major", "--engine", "Policy Violation", "--protocol", "S7",
                    "--source", "10.9.8.7", "--destination", "plc-9"), null);
            assertEquals(0, alert.exit(), alert.all());
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250)).until(() ->
                    Files.readString(stateDir.resolveSibling("run.log")).contains("cannot send 1 queued alert"));
            assertEquals(1, Files.list(stateDir.resolve("outbox")).filter(p -> p.toString().endsWith(".json")).count(),
                    "kept while the console is down");

            cluster.restart(0);

            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() ->
                    alertIds(sensorId).size() == 1);
            // The daemon keeps running: time for a duplicate to show up if there were one.
            Thread.sleep(2000);
            JsonNode alerts = get("/api/v1/notifications?category=ALERT&sensorId=" + sensorId);
            assertEquals(1, alerts.get("total").asInt(), alerts.toString());
            JsonNode got = alerts.get("items").get(0);
            assertEquals(title, got.get("title").asText());
            assertEquals("MAJOR", got.get("severity").asText());
            assertEquals("S7", got.get("protocol").asText());
            assertEquals("plc-9", got.get("destination").asText());
            assertTrue(Files.list(stateDir.resolve("outbox")).noneMatch(p -> p.toString().endsWith(".json")),
                    "the outbox is empty once the console has it");
        } finally {
            daemon.destroy();
            if (!daemon.waitFor(15, TimeUnit.SECONDS)) {
                daemon.destroyForcibly();
            }
        }
    }
}
