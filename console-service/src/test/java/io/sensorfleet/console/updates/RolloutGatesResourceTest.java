package io.sensorfleet.console.updates;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.sensorfleet.console.agentplane.AgentPlaneServer;
import io.sensorfleet.console.certificates.InternalCa;
import io.sensorfleet.console.sensors.ConnectivitySweeper;
import io.sensorfleet.console.sensors.HeartbeatBuffer;
import io.sensorfleet.console.support.Api;
import io.sensorfleet.console.support.PostgresTestResource;
import io.sensorfleet.console.support.TestClock;
import io.sensorfleet.console.support.TestSensor;
import io.sensorfleet.console.support.UpdatePackages;
import io.sensorfleet.protocol.v1.enrollment.ConnectionString;
import io.sensorfleet.protocol.v1.heartbeat.Health;
import io.sensorfleet.protocol.v1.heartbeat.HealthCheck;
import io.sensorfleet.protocol.v1.update.UpdateStage;
import io.sensorfleet.protocol.v1.update.UpdateTask;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Health-gated, soaked and scheduled rollouts, with sensors that speak the protocol by hand and a
 * clock the test moves: the soak between batches, the halts (rolled back, health worse, DISCONNECTED)
 * naming the sensor and the reason, the watch window, scheduled starts, and refused requests.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class RolloutGatesResourceTest {
    private static final AtomicInteger SERIES = new AtomicInteger(1);

    @Inject
    AgentPlaneServer agentPlane;
    @Inject
    InternalCa ca;
    @Inject
    HeartbeatBuffer heartbeats;
    @Inject
    RolloutDriver driver;
    @Inject
    UpdateTasks tasks;
    @Inject
    ConnectivitySweeper connectivity;
    @Inject
    TestClock clock;

    private final Path dir = tempDir();

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("rollout-gates-test-");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Versions apart from the other update tests' ones: sensors run [0], the package installs [1]. */
    private static String[] versions() {
        int n = SERIES.getAndIncrement();
        return new String[] {"18." + n + ".0", "18." + n + ".1"};
    }

    private UpdateSensorStub sensor(String version) {
        TestSensor s = new TestSensor("https://127.0.0.1:" + agentPlane.port(), ca.certificatePem());
        assertEquals(200, s.enroll(ConnectionString.parse(Api.connectionString(Map.of())).token()).statusCode());
        UpdateSensorStub stub = new UpdateSensorStub(s);
        stub.reportHealth(clock.instant(), version, Health.ok());
        heartbeats.flush();
        return stub;
    }

    private List<UpdateSensorStub> sensors(String version, int n) {
        List<UpdateSensorStub> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(sensor(version));
        }
        // The plan's order: name, then id.
        out.sort(Comparator.comparing(UpdateSensorStub::name).thenComparing(UpdateSensorStub::id));
        return out;
    }

    private String pkg(String[] v) throws Exception {
        return Api.asAdmin().contentType("application/octet-stream")
                .body(Files.readAllBytes(UpdatePackages.build(dir, v[1], List.of(v[0]), "exit 0")))
                .post("/api/v1/updates/packages").then().statusCode(201).extract().path("id");
    }

    private static Map<String, Object> request(String pkg, List<UpdateSensorStub> sensors, Object... more) {
        Map<String, Object> body = new HashMap<>(Map.of("packageId", pkg,
                "sensorIds", sensors.stream().map(UpdateSensorStub::id).toList()));
        for (int i = 0; i < more.length; i += 2) {
            body.put((String) more[i], more[i + 1]);
        }
        return body;
    }

    private static String start(Map<String, Object> body) {
        return Api.asAdmin().body(body).post("/api/v1/updates/rollouts").then().statusCode(201).extract().path("id");
    }

    private static JsonPath rollout(String id) {
        return Api.asAdmin().get("/api/v1/updates/rollouts/" + id).then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath target(String rollout, UpdateSensorStub s) {
        return Api.asAdmin().get("/api/v1/updates/rollouts/" + rollout + "/sensors/" + s.id()).then().statusCode(200)
                .extract().jsonPath();
    }

    private static long rolloutCount() {
        return Api.asAdmin().get("/api/v1/updates/rollouts").then().statusCode(200).extract().jsonPath().getLong("total");
    }

    private static Health health(Health.Status status, HealthCheck... checks) {
        return new Health(status, null, List.of(checks));
    }

    @Test
    void theNextBatchWaitsForTheSoakAndAWorseHealthDuringItHaltsNamingTheSensorAndTheCheck() throws Exception {
        String[] v = versions();
        List<UpdateSensorStub> s = sensors(v[0], 4);
        // The third sensor is DEGRADED before its update and stays so: not worse, no halt.
        HealthCheck cpuHigh = new HealthCheck("cpu", Health.Status.DEGRADED, "load 3.2", "3.2");
        s.get(2).reportHealth(clock.instant(), v[0], health(Health.Status.DEGRADED, cpuHigh));
        heartbeats.flush();
        String rollout = start(request(pkg(v), s, "canarySize", 1, "batchSize", 2, "soakSeconds", 600));
        assertEquals(600, rollout(rollout).getInt("soakSeconds"));

        assertEquals(1, driver.advanceAll());
        s.get(0).succeed(s.get(0).task());
        assertEquals(0, driver.advanceAll(), "the canary's batch ended: its soak begins");
        JsonPath soaking = rollout(rollout);
        assertEquals("RUNNING", soaking.getString("state"));
        assertEquals(0, soaking.getInt("currentBatch"));
        assertNotNull(soaking.getString("soakUntil"));
        assertTrue(soaking.getString("waitingFor").startsWith("the soak of batch 0 until "), soaking.getString("waitingFor"));
        clock.advance(Duration.ofMinutes(9));
        assertEquals(0, driver.advanceAll(), "still soaking after 9 of 10 minutes");
        assertTrue(s.get(1).poll(1).isEmpty());
        clock.advance(Duration.ofMinutes(2));
        assertEquals(2, driver.advanceAll(), "the soak is over: the next batch starts");
        assertNull(rollout(rollout).getString("soakUntil"));
        assertNull(rollout(rollout).getString("waitingFor"));

        s.get(1).succeed(s.get(1).task());
        s.get(2).succeed(s.get(2).task());
        assertEquals(0, driver.advanceAll());
        s.get(2).reportHealth(clock.instant(), v[1], health(Health.Status.DEGRADED, cpuHigh));
        heartbeats.flush();
        assertEquals(0, driver.advanceAll());
        assertEquals("RUNNING", rollout(rollout).getString("state"), "DEGRADED before and after is not worse");

        s.get(1).reportHealth(clock.instant(), v[1], health(Health.Status.FAILED,
                new HealthCheck("cpu", Health.Status.OK, "load 0.3", "0.3"),
                new HealthCheck("disk:/data", Health.Status.FAILED, "97 % used, alarm at 85 %", "97")));
        heartbeats.flush();
        clock.advance(Duration.ofMinutes(1));
        assertEquals(0, driver.advanceAll());
        JsonPath halted = rollout(rollout);
        assertEquals("HALTED", halted.getString("state"));
        assertEquals("sensor " + s.get(1).name() + ": health FAILED (check disk:/data) after its update, OK before",
                halted.getString("haltReason"));
        JsonPath culprit = target(rollout, s.get(1));
        assertEquals("OK", culprit.getString("target.healthBefore"));
        assertEquals(halted.getString("haltReason"), culprit.getString("target.haltedRollout"));
        assertEquals("DEGRADED", target(rollout, s.get(2)).getString("target.healthBefore"));
        assertTrue(s.get(3).poll(1).isEmpty(), "nothing starts while halted");

        // The operator judged it: resuming goes on without checking that sensor again.
        Api.asAdmin().post("/api/v1/updates/rollouts/" + rollout + "/resume").then().statusCode(200)
                .body("state", equalTo("RUNNING"));
        assertEquals(0, driver.advanceAll(), "the rest of the soak");
        assertEquals("RUNNING", rollout(rollout).getString("state"));
        clock.advance(Duration.ofMinutes(10));
        assertEquals(1, driver.advanceAll());
        s.get(3).succeed(s.get(3).task());
        assertEquals(0, driver.advanceAll());
        assertEquals("RUNNING", rollout(rollout).getString("state"), "the last batch soaks too");
        clock.advance(Duration.ofMinutes(11));
        driver.advanceAll();
        assertEquals("SUCCEEDED", rollout(rollout).getString("state"));
    }

    @Test
    void aSensorThatRolledBackAfterTheCanaryHaltsTheRolloutAtOnceOnceWhateverTheThresholdAndTheInstances()
            throws Exception {
        String[] v = versions();
        List<UpdateSensorStub> s = sensors(v[0], 4);
        String rollout = start(request(pkg(v), s, "canarySize", 1, "batchSize", 3, "failureThresholdPercent", 50,
                "soakSeconds", 0, "watchSeconds", 900));
        assertEquals(1, driver.advanceAll());
        UpdateTask canary = s.get(0).task();
        assertEquals(900L, canary.watchSeconds(), "the rollout's watch window goes to the sensor");
        s.get(0).succeed(canary);
        assertEquals(3, driver.advanceAll());
        UpdateTask t = s.get(2).task();
        s.get(2).report(t, UpdateStage.INSTALLING, null, null, null);
        s.get(2).report(t, UpdateStage.VALIDATING, null, null, v[1]);
        assertEquals(204, s.get(2).report(t, UpdateStage.ROLLED_BACK, "the new version crashed during the watch "
                + "window (exit 134); version " + v[0] + " restored", "core dumped\n", v[0]).statusCode());

        // Several instances advance at once; the rollout's row lock lets one decide.
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> runs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                runs.add(pool.submit(() -> driver.advanceAll()));
            }
            for (Future<Integer> r : runs) {
                assertEquals(0, r.get());
            }
        } finally {
            pool.shutdownNow();
        }
        JsonPath halted = rollout(rollout);
        assertEquals("HALTED", halted.getString("state"), "1 of 4 is within the 50 % threshold, a rollback halts anyway");
        String reason = halted.getString("haltReason");
        assertTrue(reason.startsWith("sensor " + s.get(2).name() + ": ROLLED_BACK to its previous version: "), reason);
        assertTrue(reason.contains("crashed during the watch window (exit 134)"), reason);
        List<String> history = target(rollout, s.get(2)).getList("history.stage");
        assertEquals(1, history.stream().filter(RolloutGates.HALTED_ROLLOUT::equals).count(),
                "one decision, whatever the number of drivers: " + history);

        String page = io.sensorfleet.console.support.Browser.admin().get().get("/ui/updates/rollouts/" + rollout)
                .then().statusCode(200).extract().asString();
        assertTrue(page.contains("crashed during the watch window (exit 134)") && page.contains("halted the rollout: sensor "),
                "the web page shows the halt reason and the sensor that halted it");

        // The sensors already updating finish; resuming goes on without halting again for the same sensor.
        s.get(1).succeed(s.get(1).task());
        s.get(3).succeed(s.get(3).task());
        Api.asAdmin().post("/api/v1/updates/rollouts/" + rollout + "/resume").then().statusCode(200);
        driver.advanceAll();
        assertEquals("FINISHED_WITH_FAILURES", rollout(rollout).getString("state"));
        assertEquals(1, target(rollout, s.get(2)).getList("history.stage").stream()
                .filter(RolloutGates.HALTED_ROLLOUT::equals).count());
    }

    @Test
    void aRollbackHaltWithinNoThresholdIsContinuedByRetryNotResume() throws Exception {
        String[] v = versions();
        List<UpdateSensorStub> s = sensors(v[0], 2);
        String rollout = start(request(pkg(v), s, "canarySize", 1, "batchSize", 1, "soakSeconds", 0));
        assertEquals(1, driver.advanceAll());
        UpdateTask t = s.get(0).task();
        s.get(0).report(t, UpdateStage.ROLLED_BACK, "health check failed", null, v[0]);
        driver.advanceAll();
        assertEquals("HALTED", rollout(rollout).getString("state"));
        Api.asAdmin().post("/api/v1/updates/rollouts/" + rollout + "/resume").then().statusCode(409)
                .body("type", equalTo("urn:sensorfleet:problem:rollout-state")).body("detail", containsString("retry"));
        assertEquals("HALTED", rollout(rollout).getString("state"));
        Api.asAdmin().post("/api/v1/updates/rollouts/" + rollout + "/retry").then().statusCode(200);
        assertEquals(1, driver.advanceAll());
        s.get(0).succeed(s.get(0).task());
        assertEquals(1, driver.advanceAll(), "a retried sensor that succeeds is checked afresh");
        assertNull(target(rollout, s.get(0)).getString("target.haltedRollout"));
    }

    @Test
    void anUpdatedSensorThatGoesDisconnectedDuringTheSoakHaltsTheRollout() throws Exception {
        String[] v = versions();
        List<UpdateSensorStub> s = sensors(v[0], 2);
        String rollout = start(request(pkg(v), s, "canarySize", 1, "batchSize", 1, "soakSeconds", 1800));
        assertEquals(1, driver.advanceAll());
        s.get(0).succeed(s.get(0).task());
        assertEquals(0, driver.advanceAll());
        clock.advance(Duration.ofMinutes(5));
        assertTrue(connectivity.sweep().contains(java.util.UUID.fromString(s.get(0).id())));
        assertEquals(0, driver.advanceAll());
        JsonPath halted = rollout(rollout);
        assertEquals("HALTED", halted.getString("state"));
        assertTrue(halted.getString("haltReason").startsWith("sensor " + s.get(0).name() + ": DISCONNECTED after its "
                + "update"), halted.getString("haltReason"));
        assertEquals("WAITING", target(rollout, s.get(1)).getString("target.stage"));
    }

    @Test
    void theConsoleWaitsOutTheWatchWindowOfASensorInValidating() throws Exception {
        String[] v = versions();
        UpdateSensorStub s = sensor(v[0]);
        String rollout = start(request(pkg(v), List.of(s), "canarySize", 0, "batchSize", 1, "watchSeconds", 1200));
        driver.advanceAll();
        UpdateTask t = s.task();
        s.report(t, UpdateStage.INSTALLING, null, null, null);
        s.report(t, UpdateStage.VALIDATING, null, null, v[1]);
        clock.advance(Duration.ofMinutes(34)); // the 20 min window and 14 of the 15 min stage timeout
        tasks.sweep();
        assertEquals("VALIDATING", target(rollout, s).getString("target.stage"));
        clock.advance(Duration.ofMinutes(2));
        tasks.sweep();
        String reason = target(rollout, s).getString("target.reason");
        assertTrue(reason.startsWith("timed out in stage VALIDATING after 15 min past the watch window"), reason);
        // What the sensor reports later replaces the time-out.
        assertEquals(204, s.report(t, UpdateStage.ROLLED_BACK, "no heartbeat from the new version", null, v[0])
                .statusCode());
        assertEquals("ROLLED_BACK", target(rollout, s).getString("target.stage"));
    }

    @Test
    void aRolloutScheduledForATimeShowsScheduledAndStartsThen() throws Exception {
        String[] v = versions();
        List<UpdateSensorStub> s = sensors(v[0], 2);
        UpdateSensorStub third = sensor(v[0]); // enrolled now: a certificate issued at a moved clock is not valid yet
        String pkg = pkg(v);
        String at = clock.instant().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS).toString();
        String rollout = start(request(pkg, s, "canarySize", 0, "batchSize", 2, "startAt", at));
        JsonPath scheduled = rollout(rollout);
        assertEquals("SCHEDULED", scheduled.getString("state"));
        assertEquals(at, scheduled.getString("startAt"));
        assertNull(scheduled.getString("startedAt"));
        assertEquals("its start time " + at, scheduled.getString("waitingFor"));
        assertEquals(0, driver.advanceAll());
        clock.advance(Duration.ofMinutes(59));
        assertEquals(0, driver.advanceAll());
        assertTrue(s.get(0).poll(1).isEmpty());
        clock.advance(Duration.ofMinutes(2));
        assertEquals(2, driver.advanceAll());
        assertEquals("RUNNING", rollout(rollout).getString("state"));
        assertNotNull(rollout(rollout).getString("startedAt"));

        // A scheduled rollout can be cancelled and never starts; pausing it is refused.
        String other = start(request(pkg, List.of(third), "startAt", clock.instant().plus(Duration.ofDays(2))
                .atOffset(ZoneOffset.ofHours(2)).toString()));
        Api.asAdmin().post("/api/v1/updates/rollouts/" + other + "/pause").then().statusCode(409);
        Api.asAdmin().post("/api/v1/updates/rollouts/" + other + "/cancel").then().statusCode(200)
                .body("state", equalTo("CANCELLED"));
        clock.advance(Duration.ofDays(3));
        assertEquals(0, driver.advanceAll());
        assertEquals("CANCELLED", rollout(other).getString("state"));
    }

    @Test
    void aRolloutWithADailyWindowStartsSensorsOnlyInsideIt() throws Exception {
        String[] v = versions();
        List<UpdateSensorStub> s = sensors(v[0], 2);
        DateTimeFormatter hhmm = DateTimeFormatter.ofPattern("HH:mm");
        // A one-hour window that opens two hours from now, in Tokyo's local time.
        java.time.ZonedDateTime opens = clock.instant().plus(Duration.ofHours(2)).atZone(java.time.ZoneId.of("Asia/Tokyo"))
                .truncatedTo(ChronoUnit.MINUTES);
        Map<String, String> window = Map.of("from", hhmm.format(opens), "to", hhmm.format(opens.plusHours(1)),
                "zone", "Asia/Tokyo");
        String rollout = start(request(pkg(v), s, "canarySize", 1, "batchSize", 1, "soakSeconds", 0,
                "window", window));
        JsonPath scheduled = rollout(rollout);
        assertEquals("SCHEDULED", scheduled.getString("state"));
        assertEquals(window.get("from"), scheduled.getString("window.from"));
        assertEquals("Asia/Tokyo", scheduled.getString("window.zone"));
        assertEquals("its daily window " + window.get("from") + "–" + window.get("to") + " Asia/Tokyo",
                scheduled.getString("waitingFor"));
        clock.advance(Duration.ofMinutes(119));
        assertEquals(0, driver.advanceAll(), "not open yet");
        clock.advance(Duration.ofMinutes(2));
        assertEquals(1, driver.advanceAll(), "the window opened: the canary starts");
        UpdateTask t = s.get(0).task();
        clock.advance(Duration.ofMinutes(60));
        s.get(0).succeed(t);
        assertEquals(0, driver.advanceAll(), "the window closed: the next batch waits for tomorrow's");
        assertEquals("RUNNING", rollout(rollout).getString("state"));
        assertEquals(1, rollout(rollout).getInt("currentBatch"));
        assertTrue(rollout(rollout).getString("waitingFor").startsWith("its daily window"));
        clock.advance(Duration.ofHours(23));
        assertEquals(1, driver.advanceAll());
    }

    @Test
    void invalidSoakWatchAndScheduleAreRefusedNamingTheFieldAndStartNothing() throws Exception {
        String[] v = versions();
        UpdateSensorStub s = sensor(v[0]);
        String pkg = pkg(v);
        long before = rolloutCount();
        Map<String, String> goodWindow = Map.of("from", "01:00", "to", "05:00", "zone", "Europe/Berlin");
        Object[][] bad = {
                {"soakSeconds", -1, "soakSeconds"},
                {"soakSeconds", 604_801, "soakSeconds"},
                {"watchSeconds", 86_401, "watchSeconds"},
                {"watchSeconds", -5, "watchSeconds"},
                {"startAt", "tomorrow at one", "startAt"},
                {"startAt", "2026-12-05T01:00:00", "startAt"},
                {"startAt", Instant.now().plus(Duration.ofDays(400)).toString(), "startAt"},
                {"window", Map.of("from", "25:00", "to", "05:00", "zone", "UTC"), "window.from"},
                {"window", Map.of("from", "01:00", "to", "1:5", "zone", "UTC"), "window.to"},
                {"window", Map.of("from", "01:00", "to", "01:00", "zone", "UTC"), "the same time"},
                {"window", Map.of("from", "01:00", "to", "05:00", "zone", "Mars/Olympus_Mons"), "unknown time zone"},
                {"window", Map.of("from", "01:00", "to", "05:00"), "window.zone"},
        };
        for (Object[] b : bad) {
            Api.asAdmin().body(request(pkg, List.of(s), b[0], b[1])).post("/api/v1/updates/rollouts").then()
                    .statusCode(400).contentType("application/problem+json")
                    .body("detail", containsString((String) b[2]));
        }
        Api.asAdmin().body(request(pkg, List.of(s), "soakSeconds", "ten minutes")).post("/api/v1/updates/rollouts")
                .then().statusCode(400);
        assertEquals(before, rolloutCount(), "nothing was created");
        assertEquals(0, driver.advanceAll());
        assertTrue(s.poll(1).isEmpty());
        Api.as("SECURITY_ANALYST").body(request(pkg, List.of(s), "window", goodWindow))
                .post("/api/v1/updates/rollouts").then().statusCode(403);
        assertEquals(before, rolloutCount());
    }
}
