package io.sensorfleet.console.settings;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.sensorfleet.console.agentplane.AgentPlaneServer;
import io.sensorfleet.console.certificates.InternalCa;
import io.sensorfleet.console.support.Api;
import io.sensorfleet.console.support.PostgresTestResource;
import io.sensorfleet.console.support.TestSensor;
import io.sensorfleet.protocol.v1.enrollment.ConnectionString;
import io.sensorfleet.protocol.v1.settings.SettingsPush;
import io.sensorfleet.protocol.v1.work.Work;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class SettingsListenerTest {
    @Inject
    AgentPlaneServer agentPlane;
    @Inject
    InternalCa ca;
    @Inject
    EffectiveSettings effective;

    private static long change(TestSensor s, String zone) {
        return Api.asAdmin().body(Map.of("values", Map.of("time.timeZone", zone)))
                .patch("/api/v1/settings/sensors/" + s.identity().sensorId()).then().statusCode(200)
                .extract().jsonPath().getLong("revision");
    }

    private static SettingsPush pushed(CompletableFuture<HttpResponse<String>> poll) throws Exception {
        HttpResponse<String> r = poll.get();
        assertEquals(200, r.statusCode(), "no push arrived: " + r.statusCode());
        return TestSensor.read(r.body(), Work.class).settings();
    }

    @Test
    void aPushThatThrewDoesNotStopTheListenerFromDeliveringLaterOnes() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        QuarkusMock.installMockForType(new SettingsPushes(effective) {
            @Override
            public Map<UUID, SettingsPush> resolve(Map<UUID, Long> revisions) {
                if (calls.incrementAndGet() == 1) {
                    throw new IllegalStateException("a push that throws, made by the test");
                }
                return super.resolve(revisions);
            }
        }, SettingsPushes.class);

        TestSensor s = new TestSensor("https://127.0.0.1:" + agentPlane.port(), ca.certificatePem());
        assertEquals(200, s.enroll(ConnectionString.parse(Api.connectionString(Map.of())).token()).statusCode());
        long known = Api.asAdmin().get("/api/v1/sensors/" + s.identity().sensorId()).then().extract().jsonPath()
                .getLong("desiredSettingsRevision");

        CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() -> s.work(known, 40));
        Thread.sleep(300); // the change must reach the waiting poll through the listener
        long revision = change(s, "Europe/Oslo");
        SettingsPush push = pushed(first);
        assertTrue(calls.get() >= 2, "the first push threw, a later check delivered it");
        assertEquals(revision, push.revision());

        CompletableFuture<HttpResponse<String>> second = CompletableFuture.supplyAsync(() -> s.work(revision, 40));
        Thread.sleep(300);
        long start = System.nanoTime();
        long next = change(s, "Europe/Rome");
        assertEquals(next, pushed(second).revision());
        assertTrue(System.nanoTime() - start < 10_000_000_000L, "the listener no longer wakes waiting polls");
    }
}
