package io.sensorfleet.console.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.sensorfleet.console.support.ConsoleProcess;
import io.sensorfleet.console.support.TestSensor;
import io.sensorfleet.console.support.ConsoleCluster;
import io.sensorfleet.protocol.v1.enrollment.ConnectionString;
import io.sensorfleet.protocol.v1.heartbeat.Health;
import io.sensorfleet.protocol.v1.heartbeat.HeartbeatRequest;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.sensorfleet.console.support.TestSensor.JSON;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two packaged console instances on one database behave as one console. */
class TwoConsolesIT {
    static ConsoleCluster cluster;
    static ConsoleProcess a;
    static ConsoleProcess b;

    @BeforeAll
    static void start() throws Exception {
        cluster = ConsoleCluster.start(2);
        a = cluster.console(0);
        b = cluster.console(1);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static String caPem(ConsoleProcess c) throws Exception {
        return JSON.readTree(c.call("GET", "/api/v1/certificates/agent-ca", null).body()).get("certificatePem").asText();
    }

    static TestSensor enrolledThrough(ConsoleProcess c) throws Exception {
        HttpResponse<String> created = c.call("POST", "/api/v1/connection-strings", Map.of("description", "it"));
        assertEquals(201, created.statusCode(), created.body());
        String cs = JSON.readTree(created.body()).get("connectionString").asText();
        TestSensor s = new TestSensor(c.agentBaseUri(), caPem(c));
        HttpResponse<String> r = s.enroll(ConnectionString.parse(cs).token());
        assertEquals(200, r.statusCode(), r.body());
        return s;
    }

    @Test
    void bothInstancesShareOneCaAndOneAdmin() throws Exception {
        assertEquals(caPem(a), caPem(b));
        assertEquals(200, b.call("GET", "/api/v1/sensors", null).statusCode());
    }

    @Test
    void sensorEnrolledThroughOneReportsThroughTheOther() throws Exception {
        TestSensor s = enrolledThrough(a);
        s.useConsole(b.agentBaseUri());
        Instant sent = Instant.now();
        HttpResponse<String> hb = s.heartbeat(sent);
        assertEquals(200, hb.statusCode(), hb.body());
        String path = "/api/v1/sensors/" + s.identity().sensorId();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            JsonNode sensor = JSON.readTree(a.call("GET", path, null).body());
            assertEquals("SYNCED", sensor.get("connectivity").asText());
            assertTrue(!Instant.parse(sensor.get("lastSeen").asText()).isBefore(sent.minusSeconds(1)), sensor.toString());
        });
    }

    /**
     * Both instances buffer the same sensor's heartbeats and flush them on their own schedules: the
     * row must end with the newest heartbeat's state whichever flush comes last, and both answer alike.
     */
    @Test
    void heartbeatsOfOneSensorArrivingAtBothInstancesTogetherLeaveItsNewestState() throws Exception {
        TestSensor s = enrolledThrough(a);
        ExecutorService senders = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 10; round++) {
                sendToBoth(s, senders, new Health(Health.Status.DEGRADED, "round " + round), "1.0.0");
            }
            Instant beforeLast = Instant.now();
            sendToBoth(s, senders, new Health(Health.Status.FAILED, "the newest"), "1.0.1");
            String path = "/api/v1/sensors/" + s.identity().sensorId();
            ThrowingRunnable newestOnBoth = () -> {
                for (ConsoleProcess c : new ConsoleProcess[]{a, b}) {
                    JsonNode sensor = JSON.readTree(c.call("GET", path, null).body());
                    assertEquals("FAILED", sensor.get("healthStatus").asText(), sensor.toString());
                    assertEquals("the newest", sensor.get("healthDetail").asText(), sensor.toString());
                    assertEquals("1.0.1", sensor.get("softwareVersion").asText(), sensor.toString());
                    assertEquals("SYNCED", sensor.get("connectivity").asText(), sensor.toString());
                    assertTrue(!Instant.parse(sensor.get("lastSeen").asText()).isBefore(beforeLast.minusSeconds(1)),
                            sensor.toString());
                }
            };
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250)).untilAsserted(newestOnBoth);
            // And it stays so over several flushes of both instances: an older heartbeat one of them
            // still held (put back after a skipped row) must not overwrite it.
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(250))
                    .untilAsserted(newestOnBoth);
        } finally {
            senders.shutdownNow();
        }
    }

    /** One heartbeat to each instance at the same moment; returns when both are answered 200. */
    private static void sendToBoth(TestSensor s, ExecutorService senders, Health health, String version) throws Exception {
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        for (ConsoleProcess c : new ConsoleProcess[]{a, b}) {
            answers.add(senders.submit(() -> s.heartbeatTo(c.agentBaseUri(), new HeartbeatRequest(Instant.now(), version, health))));
        }
        for (Future<HttpResponse<String>> answer : answers) {
            HttpResponse<String> r = answer.get();
            assertEquals(200, r.statusCode(), r.body());
        }
    }

    /**
     * The token is spent by one conditional UPDATE in each instance's own JDBC transaction: sent to
     * both instances at the same moment by many sensors, it enrolls exactly one, and the connection
     * string records that one.
     */
    @Test
    void oneTokenSentToBothInstancesAtOnceEnrollsExactlyOneSensor() throws Exception {
        HttpResponse<String> created = a.call("POST", "/api/v1/connection-strings", Map.of("description", "race"));
        assertEquals(201, created.statusCode(), created.body());
        JsonNode cs = JSON.readTree(created.body());
        String token = ConnectionString.parse(cs.get("connectionString").asText()).token();
        int perInstance = 8;
        ExecutorService senders = Executors.newFixedThreadPool(2 * perInstance);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<TestSensor> sensors = new ArrayList<>();
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < 2 * perInstance; i++) {
                ConsoleProcess c = i % 2 == 0 ? a : b;
                TestSensor s = new TestSensor(c.agentBaseUri(), caPem(c));
                sensors.add(s);
                answers.add(senders.submit(() -> {
                    go.await();
                    return s.enroll(token);
                }));
            }
            go.countDown();
            List<TestSensor> enrolled = new ArrayList<>();
            for (int i = 0; i < answers.size(); i++) {
                HttpResponse<String> r = answers.get(i).get();
                if (r.statusCode() == 200) {
                    enrolled.add(sensors.get(i));
                } else {
                    assertEquals(409, r.statusCode(), r.body());
                    assertTrue(r.body().contains("token-used"), r.body());
                }
            }
            assertEquals(1, enrolled.size(), "exactly one enrollment wins");
            JsonNode view = JSON.readTree(a.call("GET", "/api/v1/connection-strings/" + cs.get("id").asText(), null).body());
            assertEquals(enrolled.get(0).identity().sensorId().toString(), view.get("usedBySensorId").asText(), view.toString());
            assertEquals(200, b.call("GET", "/api/v1/sensors/" + enrolled.get(0).identity().sensorId(), null).statusCode());
        } finally {
            senders.shutdownNow();
        }
    }

    @Test
    void revocationThroughOneIsEnforcedByBothWithinTenSeconds() throws Exception {
        TestSensor s = enrolledThrough(b);
        assertEquals(200, s.useConsole(a.agentBaseUri()).heartbeat(Instant.now()).statusCode());
        Instant revoked = Instant.now();
        assertEquals(204, a.call("DELETE", "/api/v1/sensors/" + s.identity().sensorId(), null).statusCode());
        for (ConsoleProcess c : new ConsoleProcess[]{a, b}) {
            s.useConsole(c.agentBaseUri());
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250))
                    .until(() -> s.heartbeat(Instant.now()).statusCode() == 403);
        }
        assertTrue(Duration.between(revoked, Instant.now()).toSeconds() < 10);
    }
}
