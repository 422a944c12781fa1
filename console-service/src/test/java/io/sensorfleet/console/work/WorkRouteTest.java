package io.sensorfleet.console.work;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sensorfleet.console.agentplane.AgentPlaneServer;
import io.sensorfleet.console.certificates.InternalCa;
import io.sensorfleet.console.sensors.HeartbeatBuffer;
import io.sensorfleet.console.support.Api;
import io.sensorfleet.console.support.PostgresTestResource;
import io.sensorfleet.console.support.ServerErrorLog;
import io.sensorfleet.console.support.TestSensor;
import io.sensorfleet.console.support.UpdatePackages;
import io.sensorfleet.console.updates.RolloutDriver;
import io.sensorfleet.protocol.v1.AgentPaths;
import io.sensorfleet.protocol.v1.backup.BackupTask;
import io.sensorfleet.protocol.v1.enrollment.ConnectionString;
import io.sensorfleet.protocol.v1.heartbeat.Health;
import io.sensorfleet.protocol.v1.heartbeat.HeartbeatRequest;
import io.sensorfleet.protocol.v1.Problem;
import io.sensorfleet.protocol.v1.work.Work;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one work long-poll, spoken by a {@link TestSensor} through the agent plane. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@ExtendWith(ServerErrorLog.class)
class WorkRouteTest {
    @Inject
    AgentPlaneServer agentPlane;
    @Inject
    InternalCa ca;
    @Inject
    HeartbeatBuffer heartbeats;
    @Inject
    RolloutDriver rollouts;

    private TestSensor sensor() {
        TestSensor s = new TestSensor("https://127.0.0.1:" + agentPlane.port(), ca.certificatePem());
        HttpResponse<String> r = s.enroll(ConnectionString.parse(Api.connectionString(Map.of())).token());
        assertEquals(200, r.statusCode(), r.body());
        return s;
    }

    private static Work work(HttpResponse<String> r) {
        assertEquals(200, r.statusCode(), r.body());
        return TestSensor.read(r.body(), Work.class);
    }

    /** The settings revision the sensor gets first; from then on it knows it. */
    private static long settled(TestSensor s) {
        Work first = work(s.work(-1, 5));
        assertNotNull(first.settings(), "a sensor that knows no revision gets its settings at once");
        return first.settings().revision();
    }

    @Test
    void aSensorKnowingNoRevisionGetsItsSettingsAtOnceAndNothingElse() {
        Work w = work(sensor().work(-1, 30));
        assertNotNull(w.settings());
        assertNull(w.backup());
        assertNull(w.update());
    }

    @Test
    void anUpToDateSensorWithNothingToDoGets204AfterTheWait() {
        TestSensor s = sensor();
        long known = settled(s);
        long start = System.nanoTime();
        assertEquals(204, s.work(known, 1).statusCode());
        assertTrue(System.nanoTime() - start >= 900_000_000L, "answered before the wait ended");
    }

    @Test
    void aSettingsChangeWakesTheWaitingPollAtOnce() throws Exception {
        TestSensor s = sensor();
        long known = settled(s);
        CompletableFuture<HttpResponse<String>> waiting = CompletableFuture.supplyAsync(() -> s.work(known, 30));
        Thread.sleep(300);
        long start = System.nanoTime();
        long revision = Api.asAdmin().body(Map.of("values", Map.of("time.timeZone", "Europe/Lisbon")))
                .patch("/api/v1/settings/sensors/" + s.identity().sensorId()).then().statusCode(200)
                .extract().jsonPath().getLong("revision");
        Work w = work(waiting.get());
        assertTrue(System.nanoTime() - start < 10_000_000_000L, "not woken by the change");
        assertEquals(revision, w.settings().revision());
        assertEquals("Europe/Lisbon", w.settings().values().get("time.timeZone"));
    }

    @Test
    void aBackupTaskIsHandedOutOnceAndMarkedOfferedAsOnTheOlderLongPoll() throws Exception {
        TestSensor s = sensor();
        long known = settled(s);
        CompletableFuture<HttpResponse<String>> waiting = CompletableFuture.supplyAsync(() -> s.work(known, 30));
        Thread.sleep(300);
        Api.asAdmin().body(Map.of("sensorIds", List.of(s.identity().sensorId())))
                .post("/api/v1/backups/collections").then().statusCode(202);
        Work w = work(waiting.get());
        assertNull(w.settings(), "settings unchanged");
        assertEquals(BackupTask.Action.BACKUP, w.backup().action());
        assertEquals(204, s.work(known, 1).statusCode(), "a claimed task is not handed out twice");
        assertEquals(204, s.get(AgentPaths.BACKUP_TASKS + "?waitSeconds=1").statusCode(),
                "nor through the older long-poll");
    }

    @Test
    void anUpdateTaskArrivesOnTheSamePoll() throws Exception {
        TestSensor s = sensor();
        assertEquals(200, s.postMtls(AgentPaths.HEARTBEAT, new HeartbeatRequest(Instant.now(), "19.7.0", Health.ok()))
                .statusCode());
        heartbeats.flush();
        long known = settled(s);
        Path dir = Files.createTempDirectory("work-test-");
        String pkg = Api.asAdmin().contentType("application/octet-stream")
                .body(Files.readAllBytes(UpdatePackages.build(dir, "19.7.1", List.of("19.7.0"), "exit 0")))
                .post("/api/v1/updates/packages").then().statusCode(201).extract().path("id");
        CompletableFuture<HttpResponse<String>> waiting = CompletableFuture.supplyAsync(() -> s.work(known, 30));
        Thread.sleep(300);
        Api.asAdmin().body(Map.of("packageId", pkg, "sensorIds", List.of(s.identity().sensorId()), "canarySize", 0,
                "batchSize", 1)).post("/api/v1/updates/rollouts").then().statusCode(201);
        rollouts.advanceAll();
        Work w = work(waiting.get());
        assertEquals("19.7.1", w.update().version());
        assertEquals(204, s.work(known, 1).statusCode(), "a claimed update is not handed out twice");
    }

    @Test
    void aBadWaitIsRefusedWithAProblem() {
        HttpResponse<String> r = sensor().get(AgentPaths.WORK + "?waitSeconds=56");
        assertEquals(400, r.statusCode());
        assertEquals(Problem.MEDIA_TYPE, r.headers().firstValue("Content-Type").orElse(""));
        assertTrue(r.body().contains("waitSeconds"), r.body());
    }
}
