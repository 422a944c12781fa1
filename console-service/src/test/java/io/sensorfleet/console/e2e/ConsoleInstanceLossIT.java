package io.sensorfleet.console.e2e;

import io.sensorfleet.console.support.AgentDaemon;
import io.sensorfleet.console.support.ConsoleCluster;
import io.sensorfleet.console.support.ConsoleProcess;
import io.sensorfleet.console.support.ControlledSimulation;
import io.sensorfleet.console.support.Haproxy;
import io.sensorfleet.console.support.Rules;
import io.sensorfleet.console.support.TestSensor;
import io.sensorfleet.console.support.ThrowawayPostgres;
import io.sensorfleet.console.support.WebSession;
import io.sensorfleet.console.support.WebhookReceiver;
import io.sensorfleet.protocol.v1.enrollment.ConnectionString;
import io.sensorfleet.simulator.SimulationReport;
import io.sensorfleet.simulator.SimulatorOptions;
import io.sensorfleet.simulator.Workloads;
import org.junit.jupiter.api.Test;

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
import java.util.stream.Collectors;

import static io.sensorfleet.console.support.TestSensor.JSON;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 of one of three console instances under load: real agents and simulated sensors spread
 * over the three (each instance advertises itself first, then the others), alerts flowing to a
 * webhook, an operator's web session through HAProxy. Sensors report through the survivors before
 * the 12 s after which a silent sensor is DISCONNECTED here; the survivors' sweeper and outbox carry on,
 * once each.
 */
class ConsoleInstanceLossIT {
    private static final int PER_INSTANCE = 10;

    @Test
    void sensorsSessionsAndScheduledWorkCarryOnThroughTheSurvivors() throws Exception {
        List<Integer> agentPorts = List.of(ThrowawayPostgres.freePort(), ThrowawayPostgres.freePort(),
                ThrowawayPostgres.freePort());
        try (ConsoleCluster cluster = ConsoleCluster.start(3, i -> env(agentPorts, i), List.of("-Xmx384m"));
             WebhookReceiver receiver = WebhookReceiver.start()) {
            List<ConsoleProcess> consoles = List.of(cluster.console(0), cluster.console(1), cluster.console(2));
            ConsoleProcess victim = consoles.get(0);
            ConsoleProcess survivor = consoles.get(1);
            // Strings of the survivors first: the simulator's alert senders are its first sensors and
            // keep to their first address.
            List<String> strings = new ArrayList<>();
            for (int i : new int[]{1, 2, 0}) {
                strings.addAll(PostgresOutageIT.connectionStrings(consoles.get(i), PER_INSTANCE));
            }
            Path file = Files.write(Files.createTempFile("loss-strings-", ".txt"), strings);
            file.toFile().deleteOnExit();
            SimulatorOptions options = SimulatorOptions.builder(strings.size()).naming("1.0.0", "loss")
                    .progressEvery(Duration.ofSeconds(5)).connectionStrings(file)
                    .intervalSeconds(PostgresOutageIT.HEARTBEAT_SECONDS)
                    .timing(Duration.ofSeconds(2), Duration.ZERO, Duration.ofMinutes(10)).controlInput(true)
                    .workloads(new Workloads(false, null, 0, 10, PER_INSTANCE, "kill")).build();
            try (Haproxy lb = Haproxy.inFrontOf(consoles);
                 AgentDaemon onVictim = AgentDaemon.connectAndRun(PostgresOutageIT.connectionStrings(victim, 1).getFirst());
                 AgentDaemon onSurvivor = AgentDaemon.connectAndRun(PostgresOutageIT.connectionStrings(survivor, 1).getFirst());
                 ControlledSimulation simulation = new ControlledSimulation(options)) {
                assertTrue(simulation.awaitAllReported("ramp", Duration.ofSeconds(90)), simulation.output());
                List<String> live = new ArrayList<>(PostgresOutageIT.sensorsNamed(survivor, "loss-").keySet());
                live.add(onVictim.sensorId());
                live.add(onSurvivor.sensorId());
                PostgresOutageIT.awaitReporting(survivor, live);
                // A sensor that goes silent through the victim: its disconnect falls to the survivors' sweepers.
                String caPem = PostgresOutageIT.get(victim, "/api/v1/certificates/agent-ca").get("certificatePem").asText();
                TestSensor silent = new TestSensor(victim.agentBaseUri(), caPem);
                assertEquals(200, silent.enroll(ConnectionString.parse(
                        PostgresOutageIT.connectionStrings(victim, 1).getFirst()).token()).statusCode());
                assertEquals(200, silent.heartbeat(Instant.now()).statusCode());
                List<String> all = new ArrayList<>(live);
                all.add(silent.identity().sensorId());
                // Sensors enrolled early in the burst can go silent for a moment before their first
                // heartbeat; only what happens from here on counts.
                Instant from = Instant.now();
                assertEquals(201, survivor.call("POST", "/api/v1/forwarding-rules",
                        Rules.forSensors(all, List.of(Rules.webhook(receiver.url())))).statusCode());
                WebSession session = WebSession.login(lb.client(), lb.baseUri());
                assertTrue(session.works());

                simulation.phase("kill");
                for (int i = 0; i < 3; i++) { // alerts are flowing and being forwarded by all three instances
                    Thread.sleep(1000);
                    assertEquals(200, silent.heartbeat(Instant.now()).statusCode());
                }
                Instant killed = Instant.now();
                victim.kill();

                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                        PostgresOutageIT.lastSeen(survivor, live).values().stream().allMatch(t -> t.isAfter(killed)));
                Duration reconnect = Duration.between(killed, Instant.now());
                System.out.printf("measure instance-loss: every sensor reported through a survivor %d ms after kill -9%n",
                        reconnect.toMillis());
                for (int i = 0; i < 6; i++) {
                    assertTrue(session.works(), "the web session keeps working through HAProxy: " + lb.log());
                }
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> PostgresOutageIT.get(
                        survivor, "/api/v1/notifications?type=SENSOR_DISCONNECTED&sensorId=" + silent.identity().sensorId())
                        .get("total").asInt() > 0);
                Thread.sleep(3000);
                simulation.phase("after");
                assertTrue(simulation.awaitAllReported("after", Duration.ofSeconds(30)), simulation.output());
                SimulationReport report = simulation.stop();

                assertEquals(strings.size(), phaseOf(report, "after").sensorsReported());
                for (String id : live) {
                    assertEquals(0, PostgresOutageIT.get(survivor, "/api/v1/notifications?type=SENSOR_DISCONNECTED&sensorId="
                            + id + "&from=" + from).get("total").asInt(), "no live sensor is DISCONNECTED by the loss of an instance");
                }
                assertEquals(1, PostgresOutageIT.get(consoles.get(2), "/api/v1/notifications?type=SENSOR_DISCONNECTED&sensorId="
                        + silent.identity().sensorId()).get("total").asInt(), "the silent sensor is disconnected once");

                Set<String> recorded = new TreeSet<>();
                for (String id : all) {
                    PostgresOutageIT.get(survivor, "/api/v1/notifications?size=1000&sensorId=" + id + "&from=" + from)
                            .get("items")
                            .forEach(n -> recorded.add(n.get("id").asText()));
                }
                assertTrue(recorded.size() > 10, "alerts were recorded: " + recorded.size());
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                        delivered(receiver).keySet().containsAll(recorded));
                Map<String, List<Instant>> byId = delivered(receiver);
                assertEquals(recorded, byId.keySet(), "no gap: every notification arrived, and nothing else");
                Map<String, List<Instant>> twice = byId.entrySet().stream().filter(e -> e.getValue().size() > 1)
                        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
                System.out.printf("measure instance-loss: %d notifications forwarded, %d sent again after the kill%n",
                        recorded.size(), twice.size());
                twice.forEach((id, at) -> assertTrue(at.size() == 2 && at.getFirst().isBefore(killed),
                        "only a message the killed instance sent but could not record is sent again, once: " + id + " " + at));
                assertTrue(consoles.get(1).alive() && consoles.get(2).alive());
            }
        }
    }

    /** Notification id → when each successful delivery of it arrived. */
    private static Map<String, List<Instant>> delivered(WebhookReceiver receiver) {
        return receiver.received().stream().filter(WebhookReceiver.Received::ok).collect(Collectors.groupingBy(
                WebhookReceiver.Received::eventIdHeader, Collectors.mapping(WebhookReceiver.Received::at, Collectors.toList())));
    }

    private static Map<String, String> env(List<Integer> agentPorts, int instance) {
        Map<String, String> env = new HashMap<>(PostgresOutageIT.consoleEnv());
        env.put("SENSORFLEET_AGENT_PLANE_PORT", String.valueOf(agentPorts.get(instance)));
        List<String> advertised = new ArrayList<>();
        for (int i = 0; i < agentPorts.size(); i++) {
            advertised.add("127.0.0.1:" + agentPorts.get((instance + i) % agentPorts.size()));
        }
        env.put("SENSORFLEET_AGENT_PLANE_ADVERTISED_ADDRESSES", String.join(",", advertised));
        return env;
    }

    private static SimulationReport.Phase phaseOf(SimulationReport report, String name) {
        return report.phases().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }
}
