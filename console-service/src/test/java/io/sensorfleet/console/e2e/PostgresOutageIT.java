package io.sensorfleet.console.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.sensorfleet.console.support.AgentDaemon;
import io.sensorfleet.console.support.ConsoleProcess;
import io.sensorfleet.console.support.ControlledSimulation;
import io.sensorfleet.console.support.RestartableConsoles;
import io.sensorfleet.console.support.Rules;
import io.sensorfleet.console.support.WebSession;
import io.sensorfleet.console.support.WebhookReceiver;
import io.sensorfleet.simulator.SimulationReport;
import io.sensorfleet.simulator.SimulatorOptions;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.sensorfleet.console.support.TestSensor.JSON;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PostgreSQL stopped under load and started again, with no console restart: two instances, real
 * agents and simulated sensors spread over them, a forwarding rule to a webhook, a web session.
 * The outage lasts {@code sensorfleet.it.db-outage} (default 60 s), far longer than the 12 s after
 * which a silent sensor is DISCONNECTED here.
 */
class PostgresOutageIT {
    private static final Duration OUTAGE = Duration.parse(System.getProperty("sensorfleet.it.db-outage", "PT60S"));
    private static final int SIMULATED = 40;
    /** Short enough for a test, long enough that a machine busy with other builds does not make sensors flap. */
    static final int HEARTBEAT_SECONDS = 4;

    /** Heartbeats every 4 s (DISCONNECTED after 12 s of silence), fast outbox retries, a 5 s forwarding lease. */
    static Map<String, String> consoleEnv() {
        Map<String, String> env = new HashMap<>(RestartableConsoles.FAST);
        env.put("SENSORFLEET_HEARTBEAT_INTERVAL", HEARTBEAT_SECONDS + "s");
        env.put("SENSORFLEET_FORWARDING_LEASE", "5s");
        return env;
    }

    @Test
    void everyInstanceRecoversByItselfAndNothingIsMarkedDisconnectedLostOrDuplicated() throws Exception {
        try (RestartableConsoles cluster = RestartableConsoles.start(2, consoleEnv());
             WebhookReceiver receiver = WebhookReceiver.start()) {
            ConsoleProcess a = cluster.console(0);
            ConsoleProcess b = cluster.console(1);
            List<String> strings = new ArrayList<>(connectionStrings(a, SIMULATED / 2));
            strings.addAll(connectionStrings(b, SIMULATED / 2));
            Path file = Files.write(Files.createTempFile("outage-strings-", ".txt"), strings);
            file.toFile().deleteOnExit();
            SimulatorOptions options = SimulatorOptions.builder(SIMULATED).naming("1.0.0", "outage")
                    .progressEvery(Duration.ofSeconds(5)).connectionStrings(file).intervalSeconds(HEARTBEAT_SECONDS)
                    .timing(Duration.ofSeconds(2), Duration.ZERO, Duration.ofMinutes(10)).controlInput(true).build();
            try (AgentDaemon agentA = AgentDaemon.connectAndRun(connectionStrings(a, 1).getFirst());
                 AgentDaemon agentB = AgentDaemon.connectAndRun(connectionStrings(b, 1).getFirst());
                 ControlledSimulation simulation = new ControlledSimulation(options)) {
                assertTrue(simulation.awaitAllReported("ramp", Duration.ofSeconds(90)), simulation.output());
                List<String> ids = new ArrayList<>(sensorsNamed(a, "outage-").keySet());
                ids.add(agentA.sensorId());
                ids.add(agentB.sensorId());
                awaitReporting(a, ids);
                // Sensors enrolled early in the burst can go silent for a moment before their first
                // heartbeat; only what happens from here on counts.
                Instant from = Instant.now();
                HttpResponse<String> rule = a.call("POST", "/api/v1/forwarding-rules",
                        Rules.forSensors(ids, List.of(Rules.webhook(receiver.url()))));
                assertEquals(201, rule.statusCode(), rule.body());
                WebSession session = WebSession.login(a.operatorClient(), a.operatorBaseUri());
                agentA.alert("before the outage");
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() ->
                        receiver.received().stream().anyMatch(r -> r.body().contains("before the outage")));

                simulation.phase("outage");
                Instant stopped = Instant.now();
                cluster.postgres().stopServer();
                for (ConsoleProcess c : List.of(a, b)) {
                    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                            .until(() -> readiness(c) == 503);
                }
                agentA.alert("during the outage, through A");
                agentB.alert("during the outage, through B");
                Thread.sleep(Math.max(0, OUTAGE.toMillis() - Duration.between(stopped, Instant.now()).toMillis()));
                assertEquals(2, agentA.queuedAlerts() + agentB.queuedAlerts(), "the agents keep what the console cannot take");

                simulation.phase("recovery");
                cluster.postgres().startServer();
                Instant started = Instant.now();
                for (ConsoleProcess c : List.of(a, b)) {
                    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                            .until(() -> readiness(c) == 200);
                }
                System.out.printf("measure db-outage: outage %d s, readiness UP on both %d ms after the start%n",
                        Duration.between(stopped, started).toSeconds(), Duration.between(started, Instant.now()).toMillis());
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                        lastSeen(a, ids).values().stream().allMatch(t -> t.isAfter(started)));
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                        agentA.queuedAlerts() + agentB.queuedAlerts() == 0);
                assertTrue(simulation.awaitAllReported("recovery", Duration.ofSeconds(30)), simulation.output());
                SimulationReport report = simulation.stop();

                SimulationReport.Phase outage = phase(report, "outage");
                assertEquals(SIMULATED, outage.sensorsReported(), "every simulated sensor was answered during the outage");
                assertEquals(0, outage.failureCount(), "heartbeats are answered throughout: " + outage.failureExamples());
                assertEquals(Map.of(), connectivity(a, ids).entrySet().stream()
                        .filter(e -> !e.getValue().equals("SYNCED")).collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
                for (String id : ids) {
                    JsonNode transitions = get(b, "/api/v1/notifications?type=SENSOR_DISCONNECTED&sensorId=" + id
                            + "&from=" + from);
                    assertEquals(0, transitions.get("total").asInt(), "no sensor is DISCONNECTED by the outage: " + transitions);
                }
                Map<String, String> recordedTypes = new HashMap<>();
                for (String id : ids) {
                    get(a, "/api/v1/notifications?size=1000&sensorId=" + id + "&from=" + from).get("items")
                            .forEach(n -> recordedTypes.put(n.get("id").asText(), n.get("type").asText()));
                }
                assertEquals(3, recordedTypes.values().stream().filter("SENSOR_ALERT"::equals).count(), recordedTypes.toString());
                assertTrue(recordedTypes.values().stream().noneMatch(t -> t.startsWith("SENSOR_DISCONNECTED")
                        || t.startsWith("SENSOR_RECONNECTED")), "no connectivity change: " + recordedTypes);
                Set<String> recorded = new TreeSet<>(recordedTypes.keySet());
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() ->
                        receiver.received().stream().filter(WebhookReceiver.Received::ok).count() >= recorded.size());
                Thread.sleep(2000); // time for a duplicate to show up if there were one
                List<String> delivered = receiver.received().stream().filter(WebhookReceiver.Received::ok)
                        .map(WebhookReceiver.Received::eventIdHeader).toList();
                assertEquals(recorded, new TreeSet<>(delivered), "nothing lost");
                assertEquals(recorded.size(), delivered.size(), "nothing delivered twice: " + delivered);

                assertTrue(session.works(), "the web session opened before the outage still works");
                assertTrue(a.alive() && b.alive(), "no instance was restarted");
                assertEquals(1, count(a.log(), "Listening on: https://"), "instance A started once");
            }
        }
    }

    private static long count(String text, String what) {
        return text.lines().filter(l -> l.contains(what)).count();
    }

    /**
     * Waits until every sensor heartbeated after this call and is SYNCED: an agent's daemon can
     * start well after its enrollment on a busy machine, and a sensor enrolled early in a burst waits
     * for the others before its first heartbeat, so either may be DISCONNECTED for a moment first.
     */
    static void awaitReporting(ConsoleProcess c, List<String> ids) {
        Instant from = Instant.now();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() ->
                lastSeen(c, ids).values().stream().allMatch(t -> t.isAfter(from))
                        && connectivity(c, ids).values().stream().allMatch("SYNCED"::equals));
    }

    static int readiness(ConsoleProcess c) {
        try {
            return c.operatorClient().send(HttpRequest.newBuilder(URI.create(c.operatorBaseUri() + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    static List<String> connectionStrings(ConsoleProcess c, int count) throws Exception {
        HttpResponse<String> r = c.call("POST", "/api/v1/connection-strings/batch", Map.of("count", count));
        assertEquals(201, r.statusCode(), r.body());
        return JSON.readTree(r.body()).findValuesAsText("connectionString");
    }

    static JsonNode get(ConsoleProcess c, String path) throws Exception {
        HttpResponse<String> r = c.call("GET", path, null);
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    /** id → sensor for the sensors whose names start with the prefix. */
    static Map<String, JsonNode> sensorsNamed(ConsoleProcess c, String prefix) throws Exception {
        Map<String, JsonNode> byId = new HashMap<>();
        get(c, "/api/v1/sensors?size=1000&name=" + prefix).get("items").forEach(s -> byId.put(s.get("id").asText(), s));
        return byId;
    }

    static Map<String, String> connectivity(ConsoleProcess c, List<String> ids) throws Exception {
        return of(c, ids, s -> s.get("connectivity").asText());
    }

    static Map<String, Instant> lastSeen(ConsoleProcess c, List<String> ids) throws Exception {
        return of(c, ids, s -> s.hasNonNull("lastSeen") ? Instant.parse(s.get("lastSeen").asText()) : Instant.EPOCH);
    }

    private static <T> Map<String, T> of(ConsoleProcess c, List<String> ids, Function<JsonNode, T> value) throws Exception {
        Map<String, T> result = new HashMap<>();
        get(c, "/api/v1/sensors?size=1000").get("items").forEach(s -> {
            if (ids.contains(s.get("id").asText())) {
                result.put(s.get("id").asText(), value.apply(s));
            }
        });
        assertEquals(ids.size(), result.size(), "every sensor listed");
        return result;
    }

    private static SimulationReport.Phase phase(SimulationReport report, String name) {
        return report.phases().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }
}
