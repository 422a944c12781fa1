package io.sensorfleet.console.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.sensorfleet.simulator.FleetSimulator;
import io.sensorfleet.simulator.SensorBehaviour;
import io.sensorfleet.simulator.SimulationReport;
import io.sensorfleet.simulator.SimulatorOptions;
import io.sensorfleet.simulator.Workloads;
import io.sensorfleet.console.support.ConsoleProcess;
import io.sensorfleet.console.support.RestartableConsole;
import io.sensorfleet.console.support.Rules;
import io.sensorfleet.console.support.WebhookReceiver;
import io.sensorfleet.console.support.SimulatorOutput;
import org.jboss.logging.Logger;
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
    private static final Logger LOG = Logger.getLogger(FleetSimulatorIT.class);
    private static final int SENSORS = 200;

    static RestartableConsole cluster;
    static Path storage;

    @BeforeAll
    static void start() throws Exception {
        storage = BackupFixture.storageDir();
        cluster = RestartableConsole.start(BackupFixture.consoleEnv(storage));
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
        SimulationReport report;
        Map<String, String> idsBefore;
        try (ControlledRun run = ControlledRun.start(options)) {
            run.awaitAllReported("ramp");
            idsBefore = sensorIds("storm");
            run.command("phase outage");
            cluster.restart();
            run.command("phase recovery");
            run.awaitAllReported("recovery");
            report = run.stop();
        }

        SimulationReport.Phase recovery = phase(report, "recovery");
        assertEquals(SENSORS, recovery.sensorsReported());
        Map<String, Long> errors = new HashMap<>(recovery.failures());
        errors.remove("http-429");
        assertEquals(Map.of(), errors, "after the restart only 429 with Retry-After may be answered: "
                + recovery.failureExamples());
        // Every sensor came back as itself (no new identity), and the tickets issued before the
        // restart were honoured by the restarted console (the keys live in the database): some
        // sessions resumed and no ticket was refused for an unknown key. How many sensors present a
        // ticket at all depends on timing: the JDK drops a client's cached session when its
        // connection ends in an error, as it does for a sensor cut mid-exchange by the restart (84
        // of 200 resumed in one CI run, 141 in another). SessionResumptionIT proves resumption on
        // another instance deterministically, with openssl.
        assertEquals(SENSORS, idsBefore.size());
        assertEquals(idsBefore, sensorIds("storm"));
        Map<String, Double> tickets = ticketOutcomes();
        double resumed = tickets.getOrDefault("resumed", 0.0) + tickets.getOrDefault("resumed-old-key", 0.0);
        LOG.infof("restarted console's TLS tickets: %s", tickets);
        assertTrue(resumed > 0, "no sensor resumed its TLS session after the restart: " + tickets);
        assertEquals(0.0, tickets.getOrDefault("unknown-key", 0.0), "tickets refused after the restart: " + tickets);
    }

    /** name → sensor id of the sensors whose names start with {@code prefix}. */
    private static Map<String, String> sensorIds(String prefix) throws Exception {
        Map<String, String> ids = new HashMap<>();
        sensors(prefix).forEach((name, s) -> ids.put(name, s.get("id").asText()));
        return ids;
    }

    /** What the (restarted) console did with TLS session tickets, by outcome. */
    private static Map<String, Double> ticketOutcomes() throws Exception {
        String metrics = console().call("GET", "/q/metrics", null).body();
        Map<String, Double> outcomes = new HashMap<>();
        metrics.lines().filter(l -> l.startsWith("sensorfleet_agent_plane_tls_tickets_total{")).forEach(l -> {
            int from = l.indexOf("outcome=\"") + "outcome=\"".length();
            outcomes.merge(l.substring(from, l.indexOf('"', from)), Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)), Double::sum);
        });
        return outcomes;
    }

    @Test
    @SuppressWarnings("unchecked")
    void aSettingsChangeIsAcknowledgedOnceByEverySensorAndTheDatabaseAgrees() throws Exception {
        SimulatorOptions options = fleet("push").connectionStrings(connectionStrings(SENSORS)).intervalSeconds(5)
                .timing(Duration.ofSeconds(2), Duration.ZERO, Duration.ofMinutes(3)).controlInput(true)
                .workloads(new Workloads(true, null, 0, 0, 0, null)).build();
        List<String> ids = List.of();
        long revision;
        SimulationReport report;
        try (ControlledRun run = ControlledRun.start(options)) {
            run.awaitAllReported("ramp");
            ids = sensors("push").values().stream().map(n -> n.get("id").asText()).toList();
            String inClause = "'" + String.join("','", ids) + "'";
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> count(
                    "select count(*) from sensors where applied_settings_revision = desired_settings_revision and id in ("
                            + inClause + ")") == SENSORS);
            run.command("phase push");
            HttpResponse<String> r = console().call("POST", "/api/v1/settings/bulk",
                    Map.of("sensorIds", ids, "values", Map.of("time.timeZone", "Asia/Tokyo")));
            assertEquals(200, r.statusCode(), r.body());
            revision = JSON.readTree(r.body()).get("revision").asLong();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> count(
                    "select count(*) from sensors where applied_settings_revision >= " + revision + " and id in ("
                            + inClause + ")") == SENSORS);
            report = run.stop();
        }

        Map<String, Object> settings = JSON.convertValue(report.workloads().get("settings"), Map.class);
        assertEquals(Map.of(), settings.get("failures"), String.valueOf(settings.get("failureExamples")));
        List<Map<String, Object>> revisions = (List<Map<String, Object>>) settings.get("revisions");
        Map<String, Object> pushed = revisions.stream().filter(x -> ((Number) x.get("revision")).longValue() == revision)
                .findFirst().orElseThrow(() -> new AssertionError("no acknowledgement of revision " + revision + ": " + revisions));
        assertEquals(SENSORS, ((Number) pushed.get("acknowledged")).intValue(), "each sensor acknowledges the change once");
        List<Number> received = (List<Number>) pushed.get("receivedAtEpochMs");
        List<Number> accepted = (List<Number>) pushed.get("acceptedAtEpochMs");
        assertEquals(SENSORS, received.size(), "each sensor received the change once");
        assertTrue(received.getLast().longValue() <= accepted.getLast().longValue(), "received before acknowledged");
    }

    @Test
    @SuppressWarnings("unchecked")
    void backupsAskedOfSimulatedSensorsAreUploadedWholeAndStored() throws Exception {
        int uploaders = 4;
        Path payload = Files.createTempFile("backup-payload-", ".bin");
        byte[] data = new byte[3 * 1024 * 1024 + 17];
        new java.util.Random(7).nextBytes(data);
        Files.write(payload, data);
        SimulatorOptions options = SimulatorOptions.builder(uploaders).naming("1.0.0", "upload")
                .progressEvery(Duration.ofSeconds(5)).connectionStrings(connectionStrings(uploaders)).intervalSeconds(5)
                .timing(Duration.ofSeconds(1), Duration.ZERO, Duration.ofMinutes(3)).controlInput(true)
                .workloads(new Workloads(false, payload, uploaders, 0, 0, null)).build();
        List<String> ids;
        SimulationReport report;
        try (ControlledRun run = ControlledRun.start(options)) {
            run.awaitAllReported("ramp");
            ids = sensors("upload").values().stream().map(n -> n.get("id").asText()).toList();
            HttpResponse<String> r = console().call("POST", "/api/v1/backups/collections", Map.of("sensorIds", ids));
            assertEquals(202, r.statusCode(), r.body());
            String inClause = "'" + String.join("','", ids) + "'";
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> count(
                    "select count(*) from backups where state = 'STORED' and sensor_id in (" + inClause + ")") == uploaders);
            // The console records a backup as stored before its answer reaches the sensor: stopping at once
            // would interrupt a sensor still reading that answer and count it as a failed upload.
            run.awaitOutput("done=" + uploaders);
            report = run.stop();
        }

        Map<String, Object> backups = JSON.convertValue(report.workloads().get("backups"), Map.class);
        assertEquals(Map.of(), backups.get("failures"), String.valueOf(backups.get("failureExamples")));
        List<Map<String, Object>> uploads = (List<Map<String, Object>>) backups.get("uploads");
        assertEquals(uploaders, uploads.stream().filter(u -> Boolean.TRUE.equals(u.get("complete"))).count());
        String inClause = "'" + String.join("','", ids) + "'";
        assertEquals(uploaders, count("select count(*) from backups where size_bytes = " + data.length
                + " and sensor_id in (" + inClause + ")"), "every stored backup has the whole payload");
        try (var files = Files.walk(storage)) {
            assertEquals(uploaders, files.filter(f -> f.toFile().isFile() && f.toFile().length() == data.length).count(),
                    "one file of the payload's size per sensor in the storage directory");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void anAlertBurstReachesTheWebhookWithNothingLost() throws Exception {
        int senders = 20;
        try (WebhookReceiver webhook = WebhookReceiver.start().delay(Duration.ofMillis(200))) {
            SimulatorOptions options = SimulatorOptions.builder(senders).naming("1.0.0", "alerting")
                    .progressEvery(Duration.ofSeconds(5)).connectionStrings(connectionStrings(senders)).intervalSeconds(5)
                    .timing(Duration.ofSeconds(1), Duration.ZERO, Duration.ofMinutes(3)).controlInput(true)
                    .workloads(new Workloads(false, null, 0, 100, senders, "burst")).build();
            SimulationReport report;
            List<String> ids;
            try (ControlledRun run = ControlledRun.start(options)) {
                run.awaitAllReported("ramp");
                ids = sensors("alerting").values().stream().map(n -> n.get("id").asText()).toList();
                HttpResponse<String> rule = console().call("POST", "/api/v1/forwarding-rules",
                        Rules.forSensors(ids, List.of(Rules.webhook(webhook.url()))));
                assertEquals(201, rule.statusCode(), rule.body());
                run.command("phase burst");
                Thread.sleep(3000); // the burst is a length of time, not a wait for a condition
                run.command("phase drain");
                report = run.stop();
            }
            Map<String, Object> alerts = JSON.convertValue(report.workloads().get("alerts"), Map.class);
            long created = ((Number) alerts.get("created")).longValue();
            assertTrue(created > 100, "the burst sent alerts: " + alerts);
            assertEquals(created, ((Number) alerts.get("accepted")).longValue(), "every alert created was accepted: " + alerts);
            String inClause = "'" + String.join("','", ids) + "'";
            assertEquals(created, count("select count(*) from notifications where category = 'ALERT' and sensor_id in ("
                    + inClause + ")"), "one notification per alert");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertEquals(created, webhook.received().stream().map(WebhookReceiver.Received::eventIdHeader)
                            .distinct().count(), "every notification reached the webhook"));
        }
    }

    private static SimulationReport.Phase phase(SimulationReport report, String name) {
        return report.phases().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    /** A simulation driven through phases by the test, as bench/run.sh does through a FIFO. */
    private static final class ControlledRun implements AutoCloseable {
        private final FleetSimulator simulator;
        private final SimulatorOutput output = new SimulatorOutput();
        private final PipedWriter control = new PipedWriter();
        private final SimulationReport[] report = new SimulationReport[1];
        private final Thread thread;

        private ControlledRun(SimulatorOptions options) throws Exception {
            simulator = new FleetSimulator(options, SensorBehaviour.HEALTHY, new PrintWriter(output), new PipedReader(control));
            thread = Thread.ofPlatform().start(() -> {
                try {
                    report[0] = simulator.run();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        static ControlledRun start(SimulatorOptions options) throws Exception {
            return new ControlledRun(options);
        }

        void awaitAllReported(String phase) throws InterruptedException {
            assertTrue(output.await("event all-reported phase=" + phase, Duration.ofSeconds(60)),
                    "every sensor must report in phase " + phase + ": " + output);
        }

        /** Waits until a line of the simulator's output contains {@code text} (progress lines are printed every few seconds). */
        void awaitOutput(String text) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> output.toString().lines().anyMatch(l -> l.contains(text)));
        }

        void command(String line) throws Exception {
            control.write(line + "\n");
            control.flush();
        }

        SimulationReport stop() throws Exception {
            command("stop");
            thread.join(Duration.ofSeconds(60));
            assertNotNull(report[0], output.toString());
            return report[0];
        }

        @Override
        public void close() throws Exception {
            simulator.stop();
            thread.join(Duration.ofSeconds(30));
        }
    }
}
