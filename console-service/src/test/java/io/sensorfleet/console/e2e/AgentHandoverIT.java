package io.sensorfleet.console.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.sensorfleet.console.support.AgentBuilds;
import io.sensorfleet.console.support.Cli;
import io.sensorfleet.console.support.ConsoleCluster;
import io.sensorfleet.console.support.ConsoleProcess;
import io.sensorfleet.console.support.UpdatePackages;
import io.sensorfleet.lib.packages.PackageSignature;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.sensorfleet.console.support.TestSensor.JSON;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Updates that really run the new agent: real agent builds (this build stamped with other
 * versions) in signed packages, real agents run by the real launcher against the packaged console.
 * The sensors start on {@value #A}; the console is the build's own version, newer than every package.
 * The watch window is set by each rollout ({@code watchSeconds}) and, for the standalone update,
 * through the console's settings ({@code update.watchSeconds}).
 */
class AgentHandoverIT {
    static final String A = "22.4.1";
    // Generous: the first heartbeat is due within the window too, and JVMs start slowly on a loaded machine.
    static final long WATCH_SECONDS = 40;

    static Path work;
    static Path packages;
    static Path consoleOnlyKeyFile;
    static KeyPair consoleOnlyKey;
    static ConsoleCluster cluster;
    static ConsoleProcess console;
    static Map<String, String> env;

    final List<Process> daemons = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory("handover-it-");
        // The console's package store accepts only / a-z A-Z 0-9 _ in its path.
        packages = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "sf_handover_it_" + System.nanoTime()));
        consoleOnlyKey = AgentBuilds.newKey();
        consoleOnlyKeyFile = AgentBuilds.writePublicKey(consoleOnlyKey, work.resolve("console-only-key.pem"));
        Map<String, String> consoleEnv = new HashMap<>();
        consoleEnv.put("SENSORFLEET_UPDATES_STORAGE_DIR", packages.toString());
        // The console trusts a second key the sensors do not pin: its packages pass the console, not the sensor.
        consoleEnv.put("SENSORFLEET_UPDATES_TRUSTED_KEYS", UpdatePackages.devTestPublicKey() + "," + consoleOnlyKeyFile);
        consoleEnv.put("SENSORFLEET_UPDATES_DRIVER_INTERVAL", "1s");
        cluster = ConsoleCluster.start(1, consoleEnv, List.of("-Xmx384m"));
        console = cluster.console(0);
        env = AgentBuilds.env(UpdatePackages.devTestPublicKey());
    }

    @AfterEach
    void stopDaemons() {
        daemons.forEach(AgentBuilds::stop);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        BackupFixture.deleteTree(work);
        BackupFixture.deleteTree(packages);
    }

    /** A sensor on version A, connected, its daemon running through the launcher with the short watch window. */
    private Path sensor() throws Exception {
        Path state = AgentBuilds.sensorOn(Files.createTempDirectory(work, "sensor-"), A);
        String cs = JSON.readTree(console.call("POST", "/api/v1/connection-strings", Map.of()).body())
                .get("connectionString").asText();
        Cli.Result connect = AgentBuilds.cli(env, "connect", cs, "--state-dir", state.toString());
        assertEquals(0, connect.exit(), connect.all());
        daemons.add(AgentBuilds.daemon(state, env));
        String id = sensorId(state);
        HttpResponse<String> r = console.call("PATCH", "/api/v1/settings/sensors/" + id,
                Map.of("values", Map.of("update.watchSeconds", WATCH_SECONDS)));
        assertEquals(200, r.statusCode(), r.body());
        long revision = JSON.readTree(r.body()).get("revision").asLong();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonNode s = sensor(id);
            assertEquals(revision, s.get("appliedSettingsRevision").asLong(), s.toString());
            assertEquals(A, s.get("softwareVersion").asText());
        });
        // The health the rollout records before the update is the one reported here: every check reported as
        // measured (a test machine has no activation file and no clock synchronisation: DEGRADED), with no
        // change held back, as on a sensor that has been running a while.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonNode health = BackupFixture.get(console, "/api/v1/sensors/" + id + "/health");
            assertTrue(health.get("checks").size() > 0, health.toString());
            for (JsonNode check : health.get("checks")) {
                assertTrue(!check.path("message").asText().contains("until this held"), health.toString());
            }
        });
        return state;
    }

    private static String sensorId(Path state) throws Exception {
        return JSON.readTree(Files.readString(state.resolve("agent.json"))).get("sensorId").asText();
    }

    private static JsonNode sensor(String id) throws Exception {
        return BackupFixture.get(console, "/api/v1/sensors/" + id);
    }

    private static String upload(Path pkg) throws Exception {
        HttpResponse<String> r = console.upload("/api/v1/updates/packages", Files.readAllBytes(pkg));
        assertEquals(201, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("id").asText();
    }

    private static String rollout(Path pkg, List<String> sensorIds, int canary, int batch) throws Exception {
        // The rollout sends its own watch window (it overrides the sensors' setting); batches follow each
        // other without a soak, whose gate has its own tests.
        HttpResponse<String> r = console.call("POST", "/api/v1/updates/rollouts", Map.of("packageId", upload(pkg),
                "sensorIds", sensorIds, "canarySize", canary, "batchSize", batch,
                "watchSeconds", WATCH_SECONDS, "soakSeconds", 0));
        assertEquals(201, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("id").asText();
    }

    private static JsonNode awaitState(String rollout, String state, Duration within) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(within).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            last[0] = BackupFixture.get(console, "/api/v1/updates/rollouts/" + rollout);
            assertEquals(state, last[0].get("state").asText(), last[0].toString());
        });
        return last[0];
    }

    private static JsonNode target(String rollout, String sensorId) throws Exception {
        return BackupFixture.get(console, "/api/v1/updates/rollouts/" + rollout + "/sensors/" + sensorId);
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

    private static Path agentPackage(String version, java.util.function.Consumer<Path> extra) {
        Path dir = work.resolve("build-" + version);
        return AgentBuilds.pkg(work, AgentBuilds.payload(dir, version, extra), version, A, UpdatePackages.devTestKey());
    }

    private static void assertRunsFrom(Path state, String version, long notPid) {
        long pid = AgentBuilds.agentPid(state).orElseThrow(() -> new AssertionError("no agent runs on " + state));
        assertNotEquals(notPid, pid, "a new process runs the new version");
        String cmdline = AgentBuilds.cmdline(pid);
        assertTrue(cmdline.contains(state.resolve("versions").resolve(version).resolve("sensor-agent.jar").toString()),
                "runs from the " + version + " directory: " + cmdline);
    }

    @Test
    void aRolloutHandsOverToTheNewBuildOnThreeAgentsCanaryFirstEachFromANewProcess() throws Exception {
        List<Path> fleet = List.of(sensor(), sensor(), sensor());
        List<String> ids = new ArrayList<>();
        Map<Path, Long> before = new HashMap<>();
        for (Path s : fleet) {
            ids.add(sensorId(s));
            long pid = AgentBuilds.agentPid(s).orElseThrow();
            assertTrue(AgentBuilds.cmdline(pid).contains("versions/" + A + "/sensor-agent.jar"), AgentBuilds.cmdline(pid));
            before.put(s, pid);
        }
        String b = "22.4.2";
        String rollout = rollout(agentPackage(b, p -> { }), ids, 1, 2);
        awaitState(rollout, "SUCCEEDED", Duration.ofSeconds(180));

        Map<Integer, List<JsonNode>> byBatch = new HashMap<>();
        for (int i = 0; i < fleet.size(); i++) {
            JsonNode t = target(rollout, ids.get(i));
            assertEquals("SUCCEEDED", t.get("target").get("stage").asText(), t.toString());
            byBatch.computeIfAbsent(t.get("target").get("batch").asInt(), k -> new ArrayList<>()).add(t.get("history"));
            assertRunsFrom(fleet.get(i), b, before.get(fleet.get(i)));
            assertEquals(b, AgentBuilds.current(fleet.get(i)));
            String id = ids.get(i);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertEquals(b, sensor(id).get("softwareVersion").asText()));
        }
        assertEquals(1, byBatch.get(0).size());
        assertEquals(2, byBatch.get(1).size());
        Instant canaryDone = at(byBatch.get(0).getFirst(), "SUCCEEDED", false);
        for (JsonNode h : byBatch.get(1)) {
            assertTrue(!at(h, "QUEUED", true).isBefore(canaryDone), "the batch started after the canary succeeded: " + h);
        }
    }

    @Test
    void aVersionThatExitsAtStartIsRolledBackWithinTheWatchWindowAndTheRolloutHaltsAfterTheCanary() throws Exception {
        List<Path> fleet = List.of(sensor(), sensor(), sensor());
        List<String> ids = new ArrayList<>();
        for (Path s : fleet) {
            ids.add(sensorId(s));
        }
        String broken = "22.4.3";
        // A build whose jar the JVM cannot even open: it exits at once, every time.
        Path pkg = agentPackage(broken, p -> write(p.resolve("sensor-agent.jar"), "not a jar"));
        String rollout = rollout(pkg, ids, 1, 2);
        JsonNode halted = awaitState(rollout, "HALTED", Duration.ofSeconds(120));
        assertTrue(halted.get("haltReason").asText().contains("ROLLED_BACK"), halted.toString());
        for (int i = 0; i < fleet.size(); i++) {
            JsonNode t = target(rollout, ids.get(i)).get("target");
            if (t.get("batch").asInt() == 0) {
                assertEquals("ROLLED_BACK", t.get("stage").asText(), t.toString());
                assertTrue(t.get("reason").asText().contains("exited 3 times within its watch window"), t.toString());
                assertEquals(A, AgentBuilds.current(fleet.get(i)));
                String id = ids.get(i);
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertEquals(A, sensor(id).get("softwareVersion").asText()));
                assertRunsFrom(fleet.get(i), A, -1);
                Instant switched = at(target(rollout, ids.get(i)).get("history"), "VALIDATING", true);
                Instant back = at(target(rollout, ids.get(i)).get("history"), "ROLLED_BACK", false);
                assertTrue(back.isBefore(switched.plusSeconds(WATCH_SECONDS)), "back on " + A + " within the watch window");
            } else {
                assertEquals("WAITING", t.get("stage").asText(), "no sensor of the next batch started: " + t);
            }
        }
    }

    @Test
    void aVersionReportingFailedHealthIsRolledBackAndTheReasonNamesTheCheck() throws Exception {
        Path s = sensor();
        String id = sensorId(s);
        String unhealthy = "22.4.4";
        // The version ships health defaults that watch an engine process no sensor here runs: FAILED at once.
        Path pkg = agentPackage(unhealthy, p -> write(p.resolve("agent-health.properties"),
                "health.processes=sensorfleet-engine-x\nhealth.consecutiveRuns=1\n"));
        String rollout = rollout(pkg, List.of(id), 0, 1);
        awaitState(rollout, "HALTED", Duration.ofSeconds(120));
        JsonNode t = target(rollout, id).get("target");
        assertEquals("ROLLED_BACK", t.get("stage").asText(), t.toString());
        assertTrue(t.get("reason").asText().contains("reported health FAILED: process:sensorfleet-engine-x"), t.toString());
        assertEquals(A, AgentBuilds.current(s));
        assertRunsFrom(s, A, -1);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertEquals(A, sensor(id).get("softwareVersion").asText()));
    }

    /** Where each sensor of the kill test is stopped; the kill happens the moment its state dir shows it. */
    enum KillPoint { JOURNAL_WRITTEN, NEW_VERSION_STARTED, FIRST_HEARTBEAT, POWER_CUT_WHILE_WATCHED, WATCH_PASSED }

    @Test
    void anAgentKilledAtEveryStageOfTheHandOverComesBackOnOneCompleteVersionAndReportsIt() throws Exception {
        List<Path> fleet = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < KillPoint.values().length; i++) {
            fleet.add(sensor());
            ids.add(sensorId(fleet.getLast()));
        }
        String b = "22.4.7";
        String rollout = rollout(agentPackage(b, p -> { }), ids, 0, fleet.size());
        List<Thread> killers = new ArrayList<>();
        List<String> killed = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < fleet.size(); i++) {
            Path s = fleet.get(i);
            KillPoint point = KillPoint.values()[i];
            int index = i;
            long first = AgentBuilds.agentPid(s).orElseThrow();
            killers.add(Thread.ofPlatform().start(() -> {
                Instant until = Instant.now().plusSeconds(240);
                while (Instant.now().isBefore(until)) {
                    Map<String, String> j = AgentBuilds.journal(s);
                    long pid = AgentBuilds.agentPid(s).orElse(-1L);
                    boolean now = switch (point) {
                        case JOURNAL_WRITTEN -> "WATCHING".equals(j.get("phase")) && pid == first;
                        case NEW_VERSION_STARTED -> pid != -1 && pid != first && "WATCHING".equals(j.get("phase"));
                        case FIRST_HEARTBEAT -> Files.exists(s.resolve("updates/watch-heartbeat")) && pid != -1;
                        case POWER_CUT_WHILE_WATCHED -> Files.exists(s.resolve("updates/watch-starts")) && pid != -1
                                && pid != first;
                        case WATCH_PASSED -> "PASSED".equals(j.get("phase")) && pid != -1;
                    };
                    if (now) {
                        if (point == KillPoint.POWER_CUT_WHILE_WATCHED) {
                            // The launcher and everything it started go at once, as in a power cut.
                            Process launcher = daemons.get(index);
                            List<ProcessHandle> tree = launcher.descendants().toList();
                            launcher.destroyForcibly();
                            tree.forEach(ProcessHandle::destroyForcibly);
                            tree.forEach(p -> p.onExit().join());
                            launcher.onExit().join();
                            daemons.set(index, AgentBuilds.daemon(s, env));
                        } else {
                            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                        }
                        killed.add(point + " (process " + pid + ", journal " + j + ")");
                        return;
                    }
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }));
        }
        for (int i = 0; i < fleet.size(); i++) {
            String id = ids.get(i);
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                String stage = target(rollout, id).get("target").get("stage").asText();
                assertTrue(List.of("SUCCEEDED", "ROLLED_BACK").contains(stage), stage);
            });
        }
        for (Thread t : killers) {
            t.join();
        }
        assertEquals(fleet.size(), killed.size(), "every sensor was killed at its point: " + killed);
        for (int i = 0; i < fleet.size(); i++) {
            Path s = fleet.get(i);
            String id = ids.get(i);
            JsonNode t = target(rollout, id).get("target");
            String expected = t.get("stage").asText().equals("SUCCEEDED") ? b : A;
            String what = KillPoint.values()[i] + ": " + t;
            if (KillPoint.values()[i] != KillPoint.JOURNAL_WRITTEN) {
                assertEquals("SUCCEEDED", t.get("stage").asText(), "a kill after the switch is one more start: " + what);
            }
            assertEquals(expected, AgentBuilds.current(s), what);
            assertTrue(Files.isRegularFile(s.resolve("versions").resolve(expected).resolve("sensor-agent.jar")), what);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertRunsFrom(s, expected, -1));
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertEquals(expected, sensor(id).get("softwareVersion").asText(), what));
            assertTrue(Files.notExists(s.resolve("updates/journal")), "settled: " + what);
        }
    }

    @Test
    void aPackageOnlyTheConsoleTrustsIsRefusedByTheSensorUntilASignedKeyRotation() throws Exception {
        Path s = sensor();
        String id = sensorId(s);
        String version = "22.4.5";
        Path pkg = AgentBuilds.pkg(work, AgentBuilds.payload(work.resolve("build-" + version), version, p -> { }),
                version, A, consoleOnlyKey.getPrivate());
        String rollout = rollout(pkg, List.of(id), 0, 1);
        awaitState(rollout, "HALTED", Duration.ofSeconds(90));
        JsonNode t = target(rollout, id).get("target");
        assertEquals("FAILED", t.get("stage").asText(), t.toString());
        assertTrue(t.get("reason").asText().contains("package-unknown-key"), t.toString());
        assertTrue(t.get("reason").asText().contains("not among the trusted vendor keys"), t.toString());
        assertEquals(A, AgentBuilds.current(s));

        // A key list signed by a key the sensor does not trust is refused, and changes nothing.
        byte[] list = (Files.readString(UpdatePackages.devTestPublicKey()) + Files.readString(consoleOnlyKeyFile))
                .getBytes(StandardCharsets.UTF_8);
        Path listFile = Files.write(work.resolve("key-list.pem"), list);
        Path badSig = Files.write(work.resolve("key-list.bad.sig"), PackageSignature.sign(list,
                consoleOnlyKey.getPrivate(), consoleOnlyKey.getPublic()).toBytes());
        Cli.Result refused = AgentBuilds.cli(env, "vendor-keys", "--state-dir", s.toString(), "--rotate",
                listFile.toString(), "--signature", badSig.toString());
        assertEquals(2, refused.exit(), refused.all());
        assertTrue(refused.err().contains("the vendor key list is refused"), refused.all());

        // Signed by the pinned vendor key: accepted, and the package installs on a retry.
        Path goodSig = Files.write(work.resolve("key-list.sig"), PackageSignature.sign(list, UpdatePackages.devTestKey(),
                PackageSignature.publicKeyOf(UpdatePackages.devTestKey())).toBytes());
        Cli.Result accepted = AgentBuilds.cli(env, "vendor-keys", "--state-dir", s.toString(), "--rotate",
                listFile.toString(), "--signature", goodSig.toString());
        assertEquals(0, accepted.exit(), accepted.all());
        assertTrue(accepted.out().contains("key list accepted"), accepted.all());
        assertTrue(accepted.out().contains(PackageSignature.keyId(consoleOnlyKey.getPublic())), accepted.all());
        long before = AgentBuilds.agentPid(s).orElseThrow();
        assertEquals(200, console.call("POST", "/api/v1/updates/rollouts/" + rollout + "/retry", null).statusCode());
        awaitState(rollout, "SUCCEEDED", Duration.ofSeconds(120));
        assertRunsFrom(s, version, before);
    }

    @Test
    void theUpdateCommandInstallsHandsOverAndReportsTheNewVersionOnAStandaloneSensor() throws Exception {
        // Never connected to a console: no heartbeat to wait for, the watch is restarts and health.
        Path s = AgentBuilds.sensorOn(Files.createTempDirectory(work, "standalone-"), A);
        daemons.add(AgentBuilds.daemon(s, env));
        await().atMost(Duration.ofSeconds(30)).until(() -> AgentBuilds.agentPid(s).isPresent());
        long before = AgentBuilds.agentPid(s).orElseThrow();
        String b = "22.4.6";
        Path pkg = agentPackage(b, p -> { });

        Cli.Result r = AgentBuilds.cli(env, "update", pkg.toString(), "--state-dir", s.toString(), "--watch-seconds", "5");

        assertEquals(0, r.exit(), r.all());
        assertTrue(r.out().contains("version " + b + " installed beside " + A), r.all());
        assertTrue(r.out().contains("running version: " + b), r.all());
        assertEquals(b, AgentBuilds.current(s));
        assertRunsFrom(s, b, before);
    }

    private static void write(Path file, String content) {
        try {
            Files.writeString(file, content);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
