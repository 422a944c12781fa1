package io.sensorfleet.console.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.sensorfleet.console.support.ConsoleProcess;
import io.sensorfleet.console.support.TestSensor;
import io.sensorfleet.console.support.ConsoleCluster;
import io.sensorfleet.protocol.v1.enrollment.ConnectionString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

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
