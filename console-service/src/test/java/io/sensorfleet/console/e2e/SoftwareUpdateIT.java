package io.sensorfleet.console.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.sensorfleet.agent.Agent;
import io.sensorfleet.agent.update.InstalledVersions;
import io.sensorfleet.agent.update.Installer;
import io.sensorfleet.agent.update.UpdateLoop;
import io.sensorfleet.agent.update.VendorKeyRing;
import io.sensorfleet.console.support.AgentPausedMidInstall;
import io.sensorfleet.console.support.Cli;
import io.sensorfleet.console.support.ConsoleCluster;
import io.sensorfleet.console.support.ConsoleProcess;
import io.sensorfleet.console.support.ThrowawayPostgres;
import io.sensorfleet.console.support.UpdatePackages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
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

import static io.sensorfleet.console.support.TestSensor.JSON;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real agents against two packaged consoles on one database: agents talk to instance 0, the
 * operator to instance 1, and both instances drive rollouts. Packages are built and signed with
 * the project's packaging code and the development/test vendor key.
 */
class SoftwareUpdateIT {
    static Path storage;
    static Path packages;
    static ConsoleCluster cluster;
    static ConsoleProcess agents;
    static ConsoleProcess operator;
    final BackupFixture fixture = new BackupFixture();
    final List<Runnable> stops = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        storage = BackupFixture.storageDir();
        packages = Path.of(System.getProperty("java.io.tmpdir"), "sf_updates_it_" + System.nanoTime());
        Map<String, String> env = new HashMap<>(BackupFixture.consoleEnv(storage));
        env.put("SENSORFLEET_UPDATES_STORAGE_DIR", packages.toString());
        env.put("SENSORFLEET_UPDATES_TRUSTED_KEYS", UpdatePackages.devTestPublicKey().toString());
        env.put("SENSORFLEET_UPDATES_DRIVER_INTERVAL", "1s");
        // Batch order and halts are what this test checks; the soak between batches has its own tests.
        env.put("SENSORFLEET_UPDATES_SOAK_SECONDS", "0");
        cluster = ConsoleCluster.start(2, env, List.of("-Xmx384m"));
        agents = cluster.console(0);
        operator = cluster.console(1);
    }

    @AfterEach
    void stopAgents() {
        stops.forEach(Runnable::run);
        fixture.close();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        BackupFixture.deleteTree(storage);
        BackupFixture.deleteTree(packages);
    }

    private static String upload(Path pkg) throws Exception {
        HttpResponse<String> r = operator.upload("/api/v1/updates/packages", Files.readAllBytes(pkg));
        assertEquals(201, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("id").asText();
    }

    private static String rollout(String packageId, List<String> sensorIds, int canary, int batch) throws Exception {
        HttpResponse<String> r = operator.call("POST", "/api/v1/updates/rollouts", Map.of("packageId", packageId,
                "sensorIds", sensorIds, "canarySize", canary, "batchSize", batch));
        assertEquals(201, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("id").asText();
    }

    private static String rollout(String packageId, List<String> sensorIds, Map<String, Object> settings)
            throws Exception {
        Map<String, Object> body = new HashMap<>(settings);
        body.put("packageId", packageId);
        body.put("sensorIds", sensorIds);
        HttpResponse<String> r = operator.call("POST", "/api/v1/updates/rollouts", body);
        assertEquals(201, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("id").asText();
    }

    private static JsonNode awaitState(String rollout, String state, Duration within) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(within).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            last[0] = BackupFixture.get(operator, "/api/v1/updates/rollouts/" + rollout);
            assertEquals(state, last[0].get("state").asText(), last[0].toString());
        });
        return last[0];
    }

    private static JsonNode target(String rollout, String sensorId) throws Exception {
        return BackupFixture.get(operator, "/api/v1/updates/rollouts/" + rollout + "/sensors/" + sensorId);
    }

    /** Enrolls an in-process agent on {@code version} and runs its update loop (installing in place, pinning the dev/test key). */
    private Agent agent(String version) throws Exception {
        Agent a = fixture.enroll(agents, version);
        UpdateLoop loop = a.updateLoop(Installer.StageHook.NONE,
                new VendorKeyRing(UpdatePackages.devTestPublicKey(), a.stateDir().path()), null);
        stops.add(loop::stop);
        Thread.ofPlatform().daemon().start(loop::run);
        return a;
    }

    private static Instant at(JsonNode history, String stage, boolean first) {
        Instant found = null;
        for (JsonNode e : history) {
            if (e.get("stage").asText().equals(stage)) {
                found = Instant.parse(e.get("at").asText());
                if (first) {
                    return found;
                }
            }
        }
        if (found == null) {
            throw new AssertionError("no " + stage + " in " + history);
        }
        return found;
    }

    @Test
    void sixAgentsUpdateCanaryFirstThenInBatchesOfTwoAndReportTheNewVersion() throws Exception {
        List<Agent> fleet = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            fleet.add(agent("1.0.0"));
        }
        List<String> ids = fleet.stream().map(BackupFixture::sensorId).toList();
        Path pkg = UpdatePackages.build(Files.createTempDirectory("pkg-"), "1.1.0", List.of("1.0.0", "1.0.x"),
                "test -f README && echo healthy");
        String rollout = rollout(upload(pkg), ids, 1, 2);
        awaitState(rollout, "SUCCEEDED", Duration.ofSeconds(120));

        // Batches in order: every sensor of a batch succeeded before any sensor of the next was queued.
        Map<Integer, List<JsonNode>> byBatch = new HashMap<>();
        for (String id : ids) {
            JsonNode t = target(rollout, id);
            assertEquals("SUCCEEDED", t.get("target").get("stage").asText(), t.toString());
            List<String> stages = new ArrayList<>();
            t.get("history").forEach(e -> {
                if (stages.isEmpty() || !stages.getLast().equals(e.get("stage").asText())) {
                    stages.add(e.get("stage").asText());
                }
            });
            assertEquals(List.of("WAITING", "QUEUED", "DOWNLOADING", "BACKING_UP", "VERIFYING", "INSTALLING", "VALIDATING",
                    "SUCCEEDED"), stages, "every stage reported, in order");
            assertTrue(t.get("history").toString().contains("\"stage\":\"DOWNLOADING\",\"percent\":100"), t.toString());
            byBatch.computeIfAbsent(t.get("target").get("batch").asInt(), b -> new ArrayList<>()).add(t.get("history"));
        }
        assertEquals(List.of(1, 2, 2, 1), List.of(byBatch.get(0).size(), byBatch.get(1).size(), byBatch.get(2).size(),
                byBatch.get(3).size()));
        for (int b = 0; b < 3; b++) {
            Instant lastDone = byBatch.get(b).stream().map(h -> at(h, "SUCCEEDED", false)).max(Instant::compareTo).orElseThrow();
            Instant nextStart = byBatch.get(b + 1).stream().map(h -> at(h, "QUEUED", true)).min(Instant::compareTo)
                    .orElseThrow();
            assertTrue(!nextStart.isBefore(lastDone), "batch " + (b + 1) + " started at " + nextStart
                    + " before batch " + b + " ended at " + lastDone);
        }
        for (Agent a : fleet) {
            assertEquals("1.1.0", InstalledVersions.running(a.stateDir().path(), "?"));
            assertTrue(Files.exists(a.stateDir().path().resolve("backups")), "a local backup was taken first");
        }
        // A heartbeat from the updated agent keeps the new version (it reports what versions/current names).
        fleet.get(0).heartbeatLoop().runOnce();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertEquals("1.1.0",
                BackupFixture.get(operator, "/api/v1/sensors/" + ids.get(0)).get("softwareVersion").asText()));
        JsonNode fleetView = BackupFixture.get(operator, "/api/v1/updates/versions");
        assertTrue(fleetView.toString().contains("{\"version\":\"1.1.0\",\"sensors\":6}"), fleetView.toString());
    }

    @Test
    void bothInstancesSoakEachBatchAndARollbackHaltsTheRolloutOnceWhateverTheThreshold() throws Exception {
        List<Agent> fleet = List.of(agent("5.0.0"), agent("5.0.0"), agent("5.0.0"));
        List<String> ids = fleet.stream().map(BackupFixture::sensorId).toList();
        Path dir = Files.createTempDirectory("pkg-");
        String soaked = rollout(upload(UpdatePackages.build(dir, "5.1.0", List.of("5.0.0"), "exit 0")), ids,
                Map.of("canarySize", 1, "batchSize", 2, "soakSeconds", 4));
        awaitState(soaked, "SUCCEEDED", Duration.ofSeconds(120));
        Instant canaryDone = null;
        Instant nextQueued = null;
        for (String id : ids) {
            JsonNode t = target(soaked, id);
            if (t.get("target").get("batch").asInt() == 0) {
                canaryDone = at(t.get("history"), "SUCCEEDED", false);
            } else {
                Instant q = at(t.get("history"), "QUEUED", true);
                nextQueued = nextQueued == null || q.isBefore(nextQueued) ? q : nextQueued;
            }
        }
        assertTrue(!nextQueued.isBefore(canaryDone.plusSeconds(4)), "the next batch waited out the soak: canary "
                + "succeeded at " + canaryDone + ", next batch queued at " + nextQueued);

        // The canary's health check fails: it rolls back, and the rollout halts though 1 of 3 is under 100 %.
        String halting = rollout(upload(UpdatePackages.build(dir, "5.2.0", List.of("5.1.0"),
                "echo 'sensor engine did not start' >&2; exit 3")), ids,
                Map.of("canarySize", 1, "batchSize", 2, "failureThresholdPercent", 100, "soakSeconds", 0));
        JsonNode halted = awaitState(halting, "HALTED", Duration.ofSeconds(90));
        String reason = halted.get("haltReason").asText();
        assertTrue(reason.startsWith("sensor ") && reason.contains(": ROLLED_BACK to its previous version: "), reason);
        String canary = null;
        for (String id : ids) {
            JsonNode t = target(halting, id).get("target");
            if (t.get("batch").asInt() == 0) {
                canary = id;
            } else {
                assertEquals("WAITING", t.get("stage").asText(), "no sensor of the next batch started: " + t);
            }
        }
        String halter = canary;
        // Both instances keep driving every second; the decision stays one.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode history = target(halting, halter).get("history");
            long halts = 0;
            for (JsonNode e : history) {
                halts += e.get("stage").asText().equals("HALTED_ROLLOUT") ? 1 : 0;
            }
            assertEquals(1, halts, history.toString());
        });
    }

    @Test
    void aFailingHealthCheckRollsTheCanaryBackHaltsTheRolloutAndRetryAfterTheFixSucceeds() throws Exception {
        List<Agent> fleet = List.of(agent("2.0.0"), agent("2.0.0"), agent("2.0.0"));
        List<String> ids = fleet.stream().map(BackupFixture::sensorId).toList();
        Path pkg = UpdatePackages.build(Files.createTempDirectory("pkg-"), "2.1.0", List.of("2.0.0"),
                "if [ -f \"$SENSORFLEET_STATE_DIR/config/db-ready\" ]; then echo ok; exit 0; fi\n"
                        + "echo 'database not ready: schema check failed' >&2; exit 3");
        String rollout = rollout(upload(pkg), ids, 1, 1);
        JsonNode halted = awaitState(rollout, "HALTED", Duration.ofSeconds(90));
        assertTrue(halted.get("haltReason").asText().contains("ROLLED_BACK"), halted.toString());

        String canary = null;
        for (String id : ids) {
            JsonNode t = target(rollout, id).get("target");
            if (t.get("batch").asInt() == 0) {
                canary = id;
                assertEquals("ROLLED_BACK", t.get("stage").asText());
            } else {
                assertEquals("WAITING", t.get("stage").asText(), "no sensor of the next batch started: " + t);
            }
        }
        HttpResponse<String> log = operator.call("GET", "/api/v1/updates/rollouts/" + rollout + "/sensors/" + canary + "/log", null);
        assertEquals(200, log.statusCode());
        assertTrue(log.body().contains("database not ready"), log.body());
        Agent canaryAgent = fleet.get(ids.indexOf(canary));
        Path state = canaryAgent.stateDir().path();
        assertEquals("2.0.0", InstalledVersions.running(state, "?"), "the previous version is current again");
        assertEquals("2.0.0", BackupFixture.get(operator, "/api/v1/sensors/" + canary).get("softwareVersion").asText());
        JsonNode notes = BackupFixture.get(operator, "/api/v1/notifications?type=UPDATE_FAILED&sensorId=" + canary);
        assertEquals(1, notes.get("total").asInt(), notes.toString());

        for (Agent a : fleet) {
            Files.writeString(a.stateDir().path().resolve("config/db-ready"), "yes");
        }
        HttpResponse<String> retry = operator.call("POST", "/api/v1/updates/rollouts/" + rollout + "/retry", null);
        assertEquals(200, retry.statusCode(), retry.body());
        awaitState(rollout, "SUCCEEDED", Duration.ofSeconds(90));
        assertEquals(2, target(rollout, canary).get("target").get("attempts").asInt());
        for (Agent a : fleet) {
            assertEquals("2.1.0", InstalledVersions.running(a.stateDir().path(), "?"));
        }
    }

    @Test
    void anAgentKilledWhileInstallingComesBackOnAWorkingVersionAndTheRolloutShowsIt() throws Exception {
        Path launcher = ThrowawayPostgres.repoRoot().resolve("sensor-agent/bin/sensor-agent");
        Path state = Files.createTempDirectory("update-kill-").resolve("state");
        // The agent and the console come from one build and carry the same version, and a console
        // refuses packages newer than itself: the sensor starts as one installed from an older release.
        Path older = Files.createDirectories(state.resolve("versions/1.0.0"));
        Files.writeString(older.resolve("VERSION"), "1.0.0\n");
        Files.createSymbolicLink(state.resolve("versions/current"), Path.of("1.0.0"));
        String cs = JSON.readTree(operator.call("POST", "/api/v1/connection-strings", Map.of()).body())
                .get("connectionString").asText();
        // Through the agents' console: the connection string names every instance's address; any one will do.
        Cli.Result connect = Cli.run(List.of("env", "SENSORFLEET_VENDOR_KEYS=" + UpdatePackages.devTestPublicKey(),
                launcher.toString(), "connect", cs, "--state-dir", state.toString()), null);
        assertEquals(0, connect.exit(), connect.all());
        String sensorId = JSON.readTree(Files.readString(state.resolve("agent.json"))).get("sensorId").asText();
        String before = BackupFixture.get(operator, "/api/v1/sensors/" + sensorId).get("softwareVersion").asText();

        String next = before.replaceAll("\\.\\d+$", "") + ".99";
        Path pkg = UpdatePackages.build(Files.createTempDirectory("pkg-"), next, List.of(before), "exit 0");
        String rollout = rollout(upload(pkg), List.of(sensorId), 0, 1);

        // The real agent CLI through a test entry point that stops at INSTALLING: production reads no such hook.
        ProcessBuilder paused = AgentPausedMidInstall.process("run", "--state-dir", state.toString(),
                        "--vendor-keys", UpdatePackages.devTestPublicKey().toString())
                .redirectErrorStream(true).redirectOutput(state.resolveSibling("run-1.log").toFile());
        Process daemon = paused.start();
        try {
            Path marker = AgentPausedMidInstall.marker(state);
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(marker));
            assertEquals("INSTALLING", target(rollout, sensorId).get("target").get("stage").asText());
            assertEquals(next, InstalledVersions.running(state, "?"), "killed after the switch, before the health check");
        } finally {
            daemon.destroyForcibly().waitFor();
        }

        Process again = new ProcessBuilder(launcher.toString(), "run", "--state-dir", state.toString(),
                "--vendor-keys", UpdatePackages.devTestPublicKey().toString())
                .redirectErrorStream(true).redirectOutput(state.resolveSibling("run-2.log").toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                JsonNode t = target(rollout, sensorId).get("target");
                assertEquals("ROLLED_BACK", t.get("stage").asText(), t.toString());
                assertTrue(t.get("reason").asText().contains("stopped while installing " + next), t.toString());
            });
            assertEquals(before, InstalledVersions.running(state, "?"), "back on the version that worked");
            assertTrue(Files.notExists(state.resolve("updates/journal")));
            awaitState(rollout, "HALTED", Duration.ofSeconds(10));
        } finally {
            again.destroy();
            again.waitFor();
            BackupFixture.deleteTree(state.getParent());
        }
    }

    @Test
    void aPackageForANewerVersionThanTheConsoleIsRefusedAndATruncatedUploadToo() throws Exception {
        Path dir = Files.createTempDirectory("pkg-");
        HttpResponse<String> newer = operator.upload("/api/v1/updates/packages",
                Files.readAllBytes(UpdatePackages.build(dir, "99.0.0", List.of("1.0.0"), "exit 0")));
        assertEquals(422, newer.statusCode(), newer.body());
        assertTrue(newer.body().contains("version-newer-than-console"), newer.body());
        byte[] whole = Files.readAllBytes(UpdatePackages.build(dir, "3.0.0", List.of("1.0.0"), "exit 0"));
        HttpResponse<String> cut = operator.upload("/api/v1/updates/packages",
                java.util.Arrays.copyOf(whole, whole.length / 2));
        assertEquals(400, cut.statusCode(), cut.body());
        assertTrue(cut.body().contains("package-truncated"), cut.body());
    }
}
