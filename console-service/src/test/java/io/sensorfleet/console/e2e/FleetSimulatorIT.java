package io.sensorfleet.console.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.sensorfleet.agent.simulator.FleetSimulator;
import io.sensorfleet.agent.simulator.SensorBehaviour;
import io.sensorfleet.agent.simulator.SimulationReport;
import io.sensorfleet.agent.simulator.SimulatorOptions;
import io.sensorfleet.console.support.ConsoleProcess;
import io.sensorfleet.console.support.RestartableConsole;
import io.sensorfleet.console.support.SimulatorOutput;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.PipedReader;
import java.io.PipedWriter;
import java.io.PrintWriter;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.sensorfleet.console.support.TestSensor.JSON;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Small versions of the benchmark scenarios (bench/run.sh) as correctness checks: the fleet
 * simulator against the packaged console over real mTLS. They assert what must hold at any scale —
 * every token used once, unique serials, no lost heartbeat, every sensor back after a restart,
 * no error but 429 — never timings, which belong to the benchmarks.
 */
class FleetSimulatorIT {
    private static final int SENSORS = 200;

    static RestartableConsole cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = RestartableConsole.start();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static ConsoleProcess console() {
        return cluster.console();
    }

    private static SimulatorOptions.Builder fleet(String prefix) {
        return SimulatorOptions.builder(SENSORS).naming("1.0.0", prefix).progressEvery(Duration.ofSeconds(5));
    }

    private static SimulationReport run(SimulatorOptions options) throws Exception {
        return new FleetSimulator(options, SensorBehaviour.HEALTHY, new PrintWriter(new SimulatorOutput()),
                new StringReader("")).run();
    }

    private static Path connectionStrings(int count) throws Exception {
        HttpResponse<String> r = console().call("POST", "/api/v1/connection-strings/batch", Map.of("count", count));
        assertEquals(201, r.statusCode(), r.body());
        List<String> lines = JSON.readTree(r.body()).findValuesAsText("connectionString");
        return Files.write(Files.createTempFile("connection-strings-", ".txt"), lines);
    }

    /** name → sensor, for the sensors whose names start with {@code prefix}. */
    private static Map<String, JsonNode> sensors(String prefix) throws Exception {
        HttpResponse<String> r = console().call("GET", "/api/v1/sensors?size=1000&name=" + prefix + "-", null);
        assertEquals(200, r.statusCode(), r.body());
        Map<String, JsonNode> byName = new HashMap<>();
        JSON.readTree(r.body()).get("items").forEach(s -> byName.put(s.get("name").asText(), s));
        return byName;
    }

    private static long count(String sql) throws Exception {
        try (Connection c = cluster.database(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void enrollmentBurstUsesEveryTokenExactlyOnceAndIssuesUniqueSerials() throws Exception {
        SimulationReport report = run(fleet("burst")
                .console(URI.create(console().operatorBaseUri()), "admin", ConsoleProcess.ADMIN_PASSWORD,
                        console().dataDir.resolve("tls/operator-cert.pem"))
                .enrollment(48, 0, 0.1).enrollOnly(true).build());

        SimulationReport.Enrollment e = report.enrollment();
        assertEquals(SENSORS, e.enrolled(), "failures: " + e.failures());
        assertEquals(Map.of(), e.failures());
        assertEquals(20, e.replaysSent());
        assertEquals(20, e.replaysRejected(), "a replayed token must be refused");
        assertEquals(0, e.replaysAccepted());
        assertEquals(0, e.duplicateSerials());
        assertEquals(SENSORS, sensors("burst").size());
        assertEquals(0, count("select count(*) from (select certificate_serial from sensors group by 1 having count(*) > 1) d"));
        assertEquals(0, count("select count(*) from (select enrolled_with_token from sensors group by 1 having count(*) > 1) d"));
        assertEquals(count("select count(*) from sensors"),
                count("select count(*) from enrollment_tokens where used_at is not null"), "one used token per sensor");
    }

    @Test
    void everySimulatedSensorsHeartbeatsArriveAndKeepItSynced() throws Exception {
        Path identities = Files.createTempDirectory("fleet-").resolve("identities.json");
        run(fleet("steady").connectionStrings(connectionStrings(SENSORS)).identities(identities).enrollOnly(true).build());
        Map<String, JsonNode> enrolled = sensors("steady");
        assertEquals(SENSORS, enrolled.size());

        Instant heartbeatsFrom = Instant.now();
        SimulationReport report = run(fleet("steady").identities(identities).intervalSeconds(2)
                .timing(Duration.ofSeconds(2), Duration.ZERO, Duration.ofSeconds(6)).build());

        assertEquals(SENSORS, report.enrollment().loaded(), "the saved identities were used, not new enrollments");
        for (SimulationReport.Phase phase : report.phases()) {
            assertEquals(0, phase.failureCount(), phase.name() + ": " + phase.failureExamples());
        }
        SimulationReport.Phase steady = report.phases().getLast();
        assertEquals(SENSORS, steady.sensorsReported(), "every sensor reported in the measured phase");
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Map<String, JsonNode> now = sensors("steady");
            List<String> behind = now.values().stream()
                    .filter(s -> Instant.parse(s.get("lastSeen").asText()).isBefore(heartbeatsFrom))
                    .map(s -> s.get("name").asText()).toList();
            assertEquals(List.of(), behind, "sensors whose lastSeen did not advance");
            Map<String, Long> states = now.values().stream()
                    .collect(Collectors.groupingBy(s -> s.get("connectivity").asText(), Collectors.counting()));
            assertEquals(Map.of("SYNCED", (long) SENSORS), states);
        });
    }

    @Test
    void everySensorReportsAgainAfterAConsoleRestartWithNoErrorButThrottling() throws Exception {
        SimulatorOptions options = fleet("storm").connectionStrings(connectionStrings(SENSORS)).intervalSeconds(2)
                .timing(Duration.ofSeconds(2), Duration.ZERO, Duration.ofMinutes(3)).controlInput(true).build();
        SimulatorOutput output = new SimulatorOutput();
        PipedWriter control = new PipedWriter();
        FleetSimulator simulator = new FleetSimulator(options, SensorBehaviour.HEALTHY, new PrintWriter(output),
                new PipedReader(control));
        SimulationReport[] report = new SimulationReport[1];
        Thread run = Thread.ofPlatform().start(() -> {
            try {
                report[0] = simulator.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            assertTrue(output.await("event all-reported phase=ramp", Duration.ofSeconds(60)), output.toString());
            command(control, "phase outage");
            cluster.restart();
            command(control, "phase recovery");
            assertTrue(output.await("event all-reported phase=recovery", Duration.ofSeconds(60)),
                    "every sensor must report again after the restart");
            command(control, "stop");
        } finally {
            simulator.stop();
            run.join(Duration.ofSeconds(30));
        }

        assertNotNull(report[0], output.toString());
        SimulationReport.Phase recovery = report[0].phases().stream().filter(p -> p.name().equals("recovery"))
                .findFirst().orElseThrow();
        assertEquals(SENSORS, recovery.sensorsReported());
        Map<String, Long> errors = new HashMap<>(recovery.failures());
        errors.remove("http-429");
        assertEquals(Map.of(), errors, "after the restart only 429 with Retry-After may be answered: "
                + recovery.failureExamples());
    }

    private static void command(PipedWriter control, String line) throws Exception {
        control.write(line + "\n");
        control.flush();
    }
}
