package io.sensorfleet.console.expiry;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.sensorfleet.console.agentplane.AgentPlaneServer;
import io.sensorfleet.console.certificates.InternalCa;
import io.sensorfleet.console.support.Api;
import io.sensorfleet.console.support.PostgresTestResource;
import io.sensorfleet.console.support.TestClock;
import io.sensorfleet.console.support.TestSensor;
import io.sensorfleet.protocol.v1.activation.ActivationInstalled;
import io.sensorfleet.protocol.v1.enrollment.ConnectionString;
import io.sensorfleet.protocol.v1.Problem;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Expiry notifications with the console's clock moved ahead: each raised once, however often and by how many it is checked. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class ExpiryWatchTest {
    @Inject
    AgentPlaneServer agentPlane;
    @Inject
    InternalCa ca;
    @Inject
    TestClock clock;
    @Inject
    ExpiryWatch watch;

    @AfterEach
    void reset() {
        clock.reset();
    }

    private TestSensor locallyManaged(int validDays) {
        TestSensor s = new TestSensor("https://127.0.0.1:" + agentPlane.port(), ca.certificatePem());
        assertEquals(200, s.enroll(ConnectionString.parse(Api.connectionString(Map.of())).token()).statusCode());
        String fileId = Api.asAdmin().body(Map.of("mode", "LOCALLY_MANAGED", "validDays", validDays))
                .post("/api/v1/sensors/" + s.identity().sensorId() + "/activation").then().statusCode(201).extract().path("id");
        assertEquals(204, s.postMtls("/agent/v1/activation", new ActivationInstalled(fileId)).statusCode());
        return s;
    }

    private static List<String> notifications(String type, String sensorId) {
        return Api.asAdmin().get("/api/v1/notifications?size=100&type=" + type + (sensorId == null ? "" : "&sensorId=" + sensorId))
                .then().statusCode(200).extract().jsonPath().getList("items.message");
    }

    /** Runs the check on several threads at once, as several console instances would. */
    private void checkConcurrently() throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<Integer>> runs = pool.invokeAll(List.<Callable<Integer>>of(watch::check, watch::check, watch::check, watch::check));
            for (Future<Integer> f : runs) {
                f.get();
            }
        }
    }

    @Test
    void activationExpiringAndExpiredAreEachNotifiedOnce() throws Exception {
        TestSensor s = locallyManaged(60);
        String id = s.identity().sensorId();
        watch.check();
        assertEquals(List.of(), notifications("ACTIVATION_EXPIRING", id), "60 days ahead: nothing yet");

        clock.advance(Duration.ofDays(31));
        checkConcurrently();
        watch.check();
        List<String> expiring = notifications("ACTIVATION_EXPIRING", id);
        assertEquals(1, expiring.size(), expiring.toString());
        assertTrue(expiring.getFirst().contains("expires on"), expiring.getFirst());
        JsonPath listed = Api.as("READ_ONLY").get("/api/v1/certificates/expiring?days=30").then().statusCode(200)
                .extract().jsonPath();
        assertEquals("EXPIRING", listed.getString("items.find { it.sensorId == '" + id + "' }.state"));
        assertEquals("ACTIVATION_FILE", listed.getString("items.find { it.sensorId == '" + id + "' }.kind"));

        clock.advance(Duration.ofDays(30));
        checkConcurrently();
        watch.check();
        assertEquals(1, notifications("ACTIVATION_EXPIRING", id).size());
        assertEquals(1, notifications("ACTIVATION_EXPIRED", id).size());
        assertEquals("EXPIRED", Api.asAdmin().get("/api/v1/certificates/expiring").then().statusCode(200)
                .extract().jsonPath().getString("items.find { it.sensorId == '" + id + "' }.state"));
    }

    @Test
    void certificateExpiringIsNotifiedOnceThirtyDaysAhead() throws Exception {
        // The agent-plane server certificate is issued for 365 days at start.
        JsonPath before = Api.asAdmin().get("/api/v1/certificates/expiring?days=30").then().statusCode(200).extract().jsonPath();
        assertTrue(before.getList("items.findAll { it.kind == 'AGENT_PLANE_SERVER' }").isEmpty(), before.prettify());
        JsonPath inAYear = Api.asAdmin().get("/api/v1/certificates/expiring?days=366").then().statusCode(200).extract().jsonPath();
        String fingerprint = inAYear.getString("items.find { it.kind == 'AGENT_PLANE_SERVER' }.sha256Fingerprint");
        assertTrue(fingerprint != null && !fingerprint.isEmpty(), inAYear.prettify());

        clock.advance(Duration.ofDays(340));
        checkConcurrently();
        watch.check();
        clock.advance(Duration.ofDays(20));
        watch.check();

        List<String> raised = notifications("CERTIFICATE_EXPIRING", null).stream().filter(m -> m.contains(fingerprint)).toList();
        assertEquals(1, raised.size(), raised.toString());
        assertTrue(raised.getFirst().startsWith("the agent-plane server certificate"), raised.getFirst());
    }

    @Test
    void badWindowIsRefusedWithAProblem() {
        for (String bad : List.of("-1", "3651", "soon")) {
            String detail = Api.asAdmin().get("/api/v1/certificates/expiring?days=" + bad).then().statusCode(400)
                    .contentType(Problem.MEDIA_TYPE).extract().path("detail");
            assertTrue(detail.startsWith("days:"), detail);
        }
    }
}
