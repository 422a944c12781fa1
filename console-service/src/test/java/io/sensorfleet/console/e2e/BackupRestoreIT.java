package io.sensorfleet.console.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.sensorfleet.agent.Agent;
import io.sensorfleet.console.support.ConsoleCluster;
import io.sensorfleet.console.support.ConsoleProcess;
import io.sensorfleet.console.support.CuttingProxy;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;

import static io.sensorfleet.console.support.TestSensor.JSON;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real agents against two packaged console instances on one database and one storage directory.
 * Agents talk to instance 0; the operator works on instance 1, so every request also crosses
 * instances (NOTIFY) on its way to the agent.
 */
class BackupRestoreIT {
    private static final Logger LOG = Logger.getLogger(BackupRestoreIT.class);
    static Path storage;
    static ConsoleCluster cluster;
    static ConsoleProcess agents;
    static ConsoleProcess operator;
    final BackupFixture fixture = new BackupFixture();

    @BeforeAll
    static void start() throws Exception {
        storage = BackupFixture.storageDir();
        cluster = ConsoleCluster.start(2, BackupFixture.consoleEnv(storage), List.of("-Xmx512m"));
        agents = cluster.console(0);
        operator = cluster.console(1);
    }

    @AfterEach
    void stopAgents() {
        fixture.close();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        BackupFixture.deleteTree(storage);
    }

    private static long setTimeZone(String sensorId, String zone) throws Exception {
        HttpResponse<String> r = operator.call("PATCH", "/api/v1/settings/sensors/" + sensorId,
                Map.of("values", Map.of("time.timeZone", zone)));
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("revision").asLong();
    }

    /** Waits until the sensor has exactly {@code n} stored backups; returns the newest. */
    private static JsonNode awaitStored(String sensorId, int n, Duration within) {
        JsonNode[] newest = new JsonNode[1];
        await().atMost(within).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            JsonNode list = BackupFixture.get(operator, "/api/v1/backups?sensorId=" + sensorId);
            assertEquals(n, list.get("total").asInt(), list.toString());
            assertEquals("STORED", list.get("items").get(0).get("state").asText(), list.toString());
            newest[0] = list.get("items").get(0);
        });
        return newest[0];
    }

    private static JsonNode awaitTaskEnded(String sensorId, String taskId) {
        JsonNode[] task = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            JsonNode items = BackupFixture.get(operator, "/api/v1/backups/tasks?sensorId=" + sensorId).get("items");
            JsonNode t = null;
            for (JsonNode i : items) {
                if (i.get("id").asText().equals(taskId)) {
                    t = i;
                }
            }
            assertTrue(t != null && (t.get("state").asText().equals("DONE") || t.get("state").asText().equals("FAILED")),
                    items.toString());
            task[0] = t;
        });
        return task[0];
    }

    /** Every file of the parts a restore must leave alone or replace, with its content. */
    private static Map<String, String> files(Path state) throws IOException {
        Map<String, String> out = new TreeMap<>();
        for (String d : List.of("config", "data", "captures", "logs")) {
            try (Stream<Path> walk = Files.walk(state.resolve(d))) {
                for (Path p : walk.filter(Files::isRegularFile).toList()) {
                    out.put(state.relativize(p).toString(), Files.readString(p));
                }
            }
        }
        return out;
    }

    @Test
    void aSettingChangedAfterTheBackupIsUndoneByTheRestoreWhileLaterCapturesAndLogsAreKept() throws Exception {
        Agent agent = fixture.enroll(agents, "1.0.0");
        Path state = agent.stateDir().path();
        String id = BackupFixture.sensorId(agent);
        fixture.run(agent, true);
        Path timeConf = state.resolve("config/time.conf");

        long first = setTimeZone(id, "Europe/Berlin");
        await().atMost(Duration.ofSeconds(15)).until(() -> Files.exists(timeConf)
                && Files.readString(timeConf).contains("Europe/Berlin"));
        Files.writeString(state.resolve("data/assets.db"), "assets as backed up");
        BackupFixture.backUpNow(operator, id);
        JsonNode backup = awaitStored(id, 1, Duration.ofSeconds(30));
        assertTrue(backup.get("fileName").asText().contains("-backup-version-1.0.0-"), backup.toString());

        setTimeZone(id, "Asia/Tokyo");
        await().atMost(Duration.ofSeconds(15)).until(() -> Files.readString(timeConf).contains("Asia/Tokyo"));
        Files.writeString(state.resolve("data/assets.db"), "assets changed after the backup");
        Files.writeString(state.resolve("captures/after-backup.pcap"), "captured after the backup");
        Files.writeString(state.resolve("logs/after-backup.log"), "logged after the backup");

        HttpResponse<String> r = operator.call("POST", "/api/v1/backups/" + backup.get("id").asText() + "/restore", null);
        assertEquals(202, r.statusCode(), r.body());
        JsonNode task = awaitTaskEnded(id, JSON.readTree(r.body()).get("taskId").asText());
        assertEquals("DONE", task.get("state").asText(), task.toString());

        assertTrue(Files.readString(timeConf).contains("Europe/Berlin"), Files.readString(timeConf));
        assertEquals("assets as backed up", Files.readString(state.resolve("data/assets.db")));
        assertEquals("captured after the backup", Files.readString(state.resolve("captures/after-backup.pcap")));
        assertEquals("logged after the backup", Files.readString(state.resolve("logs/after-backup.log")));
        // The sensor tells the console it runs the restored revision again, so the difference shows.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertEquals(first,
                BackupFixture.get(operator, "/api/v1/sensors/" + id).get("appliedSettingsRevision").asLong()));
    }

    @Test
    void theProxyPasswordLeavesTheSensorSealedAndARestoreFromTheConsoleBringsItBack() throws Exception {
        Agent agent = fixture.enroll(agents, "1.0.0");
        Path state = agent.stateDir().path();
        String id = BackupFixture.sensorId(agent);
        fixture.run(agent, true);
        Path secrets = state.resolve("config/secrets.conf");
        String password = "Backed-up-proxy-" + java.util.UUID.randomUUID();
        setProxyPassword(id, password);
        await().atMost(Duration.ofSeconds(15)).until(() -> Files.exists(secrets) && Files.readString(secrets).contains(password));

        BackupFixture.backUpNow(operator, id);
        JsonNode backup = awaitStored(id, 1, Duration.ofSeconds(30));
        Path stored = storage.resolve(id.replace("-", "")).resolve(backup.get("id").asText().replace("-", "") + ".tar");
        assertTrue(Files.isRegularFile(stored), stored.toString());
        Process tar = new ProcessBuilder("tar", "-xOf", stored.toString()).redirectErrorStream(true).start();
        String contents = new String(tar.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertEquals(0, tar.waitFor(), contents);
        assertTrue(!contents.contains(password), "tar -xOf of the stored backup shows the password nowhere");
        assertTrue(contents.contains("SENSORFLEET-SEALED-V1"), "the secrets are in it, sealed");
        try (Stream<Path> local = Files.list(state.resolve("backups"))) {
            for (Path p : local.filter(p -> p.toString().endsWith(".tar")).toList()) {
                assertTrue(!new String(Files.readAllBytes(p), java.nio.charset.StandardCharsets.ISO_8859_1).contains(password),
                        "nor does the sensor's own copy");
            }
        }

        setProxyPassword(id, "changed-after-the-backup");
        await().atMost(Duration.ofSeconds(15)).until(() -> Files.readString(secrets).contains("changed-after-the-backup"));
        HttpResponse<String> r = operator.call("POST", "/api/v1/backups/" + backup.get("id").asText() + "/restore", null);
        assertEquals(202, r.statusCode(), r.body());
        JsonNode task = awaitTaskEnded(id, JSON.readTree(r.body()).get("taskId").asText());
        assertEquals("DONE", task.get("state").asText(), task.toString());

        assertTrue(Files.readString(secrets).contains(password), "the restore carried the secrets back to the sensor");
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(secrets)));
        assertTrue(!Files.exists(state.resolve("config/secrets.conf.sealed")), "the sealed entry is not unpacked");
    }

    private static void setProxyPassword(String sensorId, String password) throws Exception {
        HttpResponse<String> r = operator.call("PATCH", "/api/v1/settings/sensors/" + sensorId,
                Map.of("values", Map.of("network.proxy", "proxy.example:3128", "network.proxyPassword", password)));
        assertEquals(200, r.statusCode(), r.body());
    }

    @Test
    void aRestoreOntoAnotherVersionIsRefusedOnTheSensorNamingBothAndNothingChanges() throws Exception {
        Agent agent = fixture.enroll(agents, "1.0.0");
        Path state = agent.stateDir().path();
        String id = BackupFixture.sensorId(agent);
        fixture.run(agent, false);
        Files.writeString(state.resolve("data/assets.db"), "assets as backed up");
        BackupFixture.backUpNow(operator, id);
        String backup = awaitStored(id, 1, Duration.ofSeconds(30)).get("id").asText();

        // The sensor is updated to 1.1.0 (the console has not heard of it yet, so it sends the restore).
        fixture.stopAll();
        Agent updated = new Agent(BackupFixture.config(state, "1.1.0"), io.sensorfleet.agent.AgentLog.discard());
        fixture.run(updated, false);
        Files.writeString(state.resolve("data/assets.db"), "assets of 1.1.0");
        Files.writeString(state.resolve("captures/c.pcap"), "capture");
        Map<String, String> before = files(state);

        HttpResponse<String> r = operator.call("POST", "/api/v1/backups/" + backup + "/restore", null);
        assertEquals(202, r.statusCode(), r.body());
        JsonNode task = awaitTaskEnded(id, JSON.readTree(r.body()).get("taskId").asText());
        assertEquals("FAILED", task.get("state").asText());
        assertEquals("VERSION_MISMATCH", task.get("failureKind").asText());
        JsonNode failure = BackupFixture.get(operator, "/api/v1/backups/failures?sensorId=" + id).get("items").get(0);
        String reason = failure.get("reason").asText();
        assertEquals("RESTORE", failure.get("action").asText());
        assertTrue(reason.contains("version 1.0.0") && reason.contains("version 1.1.0"), reason);
        assertEquals(before, files(state), "nothing changed on the sensor");
    }

    @Test
    void anUploadCutHalfwayResumesFromWhereItStopped() throws Exception {
        Agent agent = fixture.enroll(agents, "1.0.0");
        Path state = agent.stateDir().path();
        String id = BackupFixture.sensorId(agent);
        try (CuttingProxy proxy = new CuttingProxy(agents.agentPort)) {
            BackupFixture.reroute(agent, "127.0.0.1:" + proxy.port());
            randomFile(state.resolve("data/flows.bin"), 24L << 20);
            proxy.cutOnceAfter(10L << 20);
            fixture.run(agent, false);
            BackupFixture.backUpNow(operator, id);
            JsonNode backup = awaitStored(id, 1, Duration.ofSeconds(60));

            assertTrue(proxy.hasCut(), "the proxy cut the upload");
            long size = backup.get("sizeBytes").asLong();
            long resumedFrom = backup.get("resumedFromBytes").asLong();
            LOG.infof("upload of %d bytes cut after 10 MiB, resumed at byte %d; %d bytes went through the proxy",
                    size, resumedFrom, proxy.clientBytes());
            assertTrue(resumedFrom > (5L << 20) && resumedFrom < size, "resumed at " + resumedFrom);
            assertTrue(backup.get("uploadAttempts").asInt() >= 2);
            assertTrue(proxy.clientBytes() < size + (size / 2), "not sent again from the start: " + proxy.clientBytes());
            String local;
            try (Stream<Path> sums = Files.list(state.resolve("backups"))) {
                Path sum = sums.filter(p -> p.toString().endsWith(".sha256")).findFirst().orElseThrow();
                local = Files.readString(sum).split("\\s+")[0];
            }
            assertEquals(local, backup.get("sha256").asText(), "the whole file arrived intact");
        }
    }

    /** Random-looking bytes, quickly: one PRNG long per 8 bytes, written in 1 MiB blocks. */
    static void randomFile(Path file, long size) throws IOException {
        SplittableRandom random = new SplittableRandom(size);
        java.nio.ByteBuffer block = java.nio.ByteBuffer.allocate(1 << 20);
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < size; written += block.capacity()) {
                block.clear();
                while (block.hasRemaining()) {
                    block.putLong(random.nextLong());
                }
                out.write(block.array(), 0, (int) Math.min(block.capacity(), size - written));
            }
        }
    }
}
