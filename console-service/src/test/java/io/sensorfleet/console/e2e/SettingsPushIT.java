package io.sensorfleet.console.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.sensorfleet.agent.Agent;
import io.sensorfleet.agent.AgentConfig;
import io.sensorfleet.agent.AgentLog;
import io.sensorfleet.agent.settings.SettingsLoop;
import io.sensorfleet.console.support.ConsoleCluster;
import io.sensorfleet.console.support.ConsoleProcess;
import io.sensorfleet.protocol.v1.enrollment.ConnectionString;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.sensorfleet.console.support.TestSensor.JSON;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real agents, with their settings loops running, against the packaged console. */
class SettingsPushIT {
    private static final Logger LOG = Logger.getLogger(SettingsPushIT.class);
    static ConsoleCluster cluster;
    static ConsoleProcess console;
    static final List<SettingsLoop> loops = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        cluster = ConsoleCluster.start(1);
        console = cluster.console(0);
    }

    @AfterAll
    static void stop() {
        loops.forEach(SettingsLoop::stop);
        if (cluster != null) {
            cluster.close();
        }
    }

    static String create(String path, Map<String, Object> body) throws Exception {
        HttpResponse<String> r = console.call("POST", path, body);
        assertEquals(201, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("id").asText();
    }

    static String zone() throws Exception {
        String bu = create("/api/v1/business-units", Map.of("name", "BU " + System.nanoTime()));
        String region = create("/api/v1/regions", Map.of("name", "R", "businessUnitId", bu));
        String site = create("/api/v1/sites", Map.of("name", "S", "regionId", region));
        return create("/api/v1/zones", Map.of("name", "Z", "siteId", site));
    }

    /** Enrolls a real agent into the zone and starts its settings loop; returns its state dir. */
    static Path runningAgent(String zone) throws Exception {
        HttpResponse<String> created = console.call("POST", "/api/v1/connection-strings", Map.of("zoneId", zone));
        String cs = JSON.readTree(created.body()).get("connectionString").asText();
        Path dir = Files.createTempDirectory("settings-it-").resolve("state");
        Agent agent = new Agent(AgentConfig.defaults().withStateDir(dir).withHostname("settings-it"), AgentLog.discard());
        agent.enroller().connect(ConnectionString.parse(cs), false);
        SettingsLoop loop = agent.settingsLoop();
        loops.add(loop);
        Thread.ofPlatform().daemon().start(loop::run);
        return dir;
    }

    static String sensorId(Path dir) throws Exception {
        return JSON.readTree(Files.readString(dir.resolve("agent.json"))).get("sensorId").asText();
    }

    static JsonNode sensor(String id) throws Exception {
        return JSON.readTree(console.call("GET", "/api/v1/sensors/" + id, null).body());
    }

    @Test
    void timeZoneChangedAtAZoneIsAppliedAndAcknowledgedByAllThreeAgentsWellWithinAHeartbeat() throws Exception {
        String zone = zone();
        List<Path> agents = List.of(runningAgent(zone), runningAgent(zone), runningAgent(zone));
        // Each agent applies the initial settings first.
        for (Path a : agents) {
            await().atMost(Duration.ofSeconds(15)).until(() -> Files.exists(a.resolve("config/applied.json")));
        }
        long start = System.nanoTime();
        HttpResponse<String> r = console.call("PATCH", "/api/v1/settings/zones/" + zone,
                Map.of("values", Map.of("time.timeZone", "Pacific/Auckland")));
        assertEquals(200, r.statusCode(), r.body());
        long revision = JSON.readTree(r.body()).get("revision").asLong();
        for (Path a : agents) {
            String id = sensorId(a);
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                JsonNode s = sensor(id);
                assertEquals(revision, s.get("appliedSettingsRevision").asLong(), s.toString());
                assertEquals("SYNCED", s.get("connectivity").asText());
            });
            assertTrue(Files.readString(a.resolve("config/time.conf")).contains("Pacific/Auckland"));
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        LOG.infof("3 agents applied and acknowledged a zone change in %d ms (heartbeat interval 30 s)", ms);
        assertTrue(ms < 15_000, "took " + ms + " ms");
    }

    @Test
    void anAgentThatCannotWriteItsConfigurationReportsItAndStaysOutOfSync() throws Exception {
        String zone = zone();
        Path dir = runningAgent(zone);
        String id = sensorId(dir);
        await().atMost(Duration.ofSeconds(15)).until(() -> Files.exists(dir.resolve("config/applied.json")));
        // Running as root, file modes do not stop writes: replacing the directory by a file does.
        try (var files = Files.list(dir.resolve("config"))) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir.resolve("config"));
        Files.writeString(dir.resolve("config"), "blocked");
        HttpResponse<String> r = console.call("PATCH", "/api/v1/settings/sensors/" + id,
                Map.of("values", Map.of("backup.dailyTime", "01:30")));
        assertEquals(200, r.statusCode(), r.body());
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            JsonNode settings = JSON.readTree(console.call("GET", "/api/v1/sensors/" + id + "/settings", null).body());
            assertTrue(settings.get("error").asText().contains("cannot write the configuration"), settings.toString());
            assertEquals("OUT_OF_SYNC", sensor(id).get("connectivity").asText());
        });
    }

    @Test
    void aLocalEditIsReportedAsDrift() throws Exception {
        String zone = zone();
        Path dir = runningAgent(zone);
        String id = sensorId(dir);
        await().atMost(Duration.ofSeconds(15)).until(() -> Files.exists(dir.resolve("config/applied.json")));
        Path time = dir.resolve("config/time.conf");
        Files.writeString(time, Files.readString(time).replaceAll("time.timeZone=.*", "time.timeZone=\"Asia/Tokyo\""));
        // The loop checks for drift each time its long-poll ends (25 s at most).
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonNode settings = JSON.readTree(console.call("GET", "/api/v1/sensors/" + id + "/settings", null).body());
            assertTrue(settings.get("drift").toString().contains("time.timeZone"), settings.toString());
        });
        assertEquals("OUT_OF_SYNC", sensor(id).get("connectivity").asText());
        assertEquals(200, console.call("POST", "/api/v1/sensors/" + id + "/settings/reapply", Map.of()).statusCode());
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertEquals("SYNCED", sensor(id).get("connectivity").asText()));
    }
}
