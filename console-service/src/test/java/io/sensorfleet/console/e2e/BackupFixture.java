package io.sensorfleet.console.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.sensorfleet.agent.Agent;
import io.sensorfleet.agent.AgentConfig;
import io.sensorfleet.agent.AgentLog;
import io.sensorfleet.agent.backup.BackupLoop;
import io.sensorfleet.agent.backup.StateLayout;
import io.sensorfleet.agent.identity.Identity;
import io.sensorfleet.agent.identity.StateDir;
import io.sensorfleet.agent.settings.SettingsLoop;
import io.sensorfleet.console.support.ConsoleProcess;
import io.sensorfleet.protocol.v1.enrollment.ConnectionString;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.sensorfleet.console.support.TestSensor.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Real agents (the agent's classes, their loops on threads) for the backup end-to-end tests. */
final class BackupFixture implements AutoCloseable {
    private final List<Runnable> stops = new ArrayList<>();
    private final List<Path> dirs = new ArrayList<>();

    /** A storage directory whose path passes the console's check (no '-' or '.'). */
    static Path storageDir() {
        return Path.of(System.getProperty("java.io.tmpdir"), "sf_backups_it_" + System.nanoTime());
    }

    static Map<String, String> consoleEnv(Path storage) {
        return Map.of("SENSORFLEET_BACKUPS_STORAGE_DIR", storage.toString(),
                "SENSORFLEET_BACKUPS_SCHEDULE_ENABLED", "false",
                "SENSORFLEET_BACKUPS_MIN_FREE_BYTES", "0");
    }

    /** Enrolls an agent through {@code console}; nothing runs yet. */
    Agent enroll(ConsoleProcess console, String version) throws Exception {
        HttpResponse<String> created = console.call("POST", "/api/v1/connection-strings", Map.of());
        assertEquals(201, created.statusCode(), created.body());
        String cs = JSON.readTree(created.body()).get("connectionString").asText();
        Path dir = Files.createTempDirectory("backup-it-").resolve("state");
        dirs.add(dir.getParent());
        Agent agent = new Agent(config(dir, version), AgentLog.discard());
        agent.enroller().connect(ConnectionString.parse(cs), false);
        StateLayout.ensure(dir); // as 'sensor-agent connect' does
        return agent;
    }

    static AgentConfig config(Path dir, String version) {
        return AgentConfig.defaults().withStateDir(dir).withHostname("backup-it").withSoftwareVersion(version);
    }

    /** Starts the agent's settings and backup loops. */
    void run(Agent agent, boolean settings) {
        if (settings) {
            SettingsLoop loop = agent.settingsLoop();
            stops.add(loop::stop);
            Thread.ofPlatform().daemon().start(loop::run);
        }
        BackupLoop backups = agent.backupLoop();
        stops.add(backups::stop);
        Thread.ofPlatform().daemon().start(backups::run);
    }

    /** Stops every loop started so far. */
    void stopAll() {
        stops.forEach(Runnable::run);
        stops.clear();
    }

    /** Makes the agent talk to the console through another address (e.g. a proxy). */
    static void reroute(Agent agent, String address) {
        StateDir sd = agent.stateDir();
        Identity i = sd.requireIdentity();
        sd.saveIdentity(new Identity(i.sensorId(), i.sensorName(), List.of(address), i.heartbeatIntervalSeconds(),
                i.certificateNotAfter(), i.certificateFingerprint(), i.connectedAt()));
    }

    static String sensorId(Agent agent) {
        return agent.stateDir().requireIdentity().sensorId();
    }

    static JsonNode get(ConsoleProcess console, String path) throws Exception {
        HttpResponse<String> r = console.call("GET", path, null);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return JSON.readTree(r.body());
    }

    /** "Back up now" for one sensor; returns the collection id. */
    static String backUpNow(ConsoleProcess console, String sensorId) throws Exception {
        HttpResponse<String> r = console.call("POST", "/api/v1/backups/collections", Map.of("sensorIds", List.of(sensorId)));
        assertEquals(202, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("collectionId").asText();
    }

    static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // temporary files: best effort
        }
    }

    @Override
    public void close() {
        stopAll();
        dirs.forEach(BackupFixture::deleteTree);
    }
}
