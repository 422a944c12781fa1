package io.sensorfleet.console.work;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sensorfleet.console.agentplane.AgentPlaneServer;
import io.sensorfleet.console.certificates.InternalCa;
import io.sensorfleet.console.sensors.HeartbeatBuffer;
import io.sensorfleet.console.support.Api;
import io.sensorfleet.console.support.PostgresTestResource;
import io.sensorfleet.console.support.TestSensor;
import io.sensorfleet.console.support.UpdatePackages;
import io.sensorfleet.console.updates.RolloutDriver;
import io.sensorfleet.protocol.v1.AgentPaths;
import io.sensorfleet.protocol.v1.backup.BackupTask;
import io.sensorfleet.protocol.v1.enrollment.ConnectionString;
import io.sensorfleet.protocol.v1.heartbeat.Health;
import io.sensorfleet.protocol.v1.heartbeat.HeartbeatRequest;
import io.sensorfleet.protocol.v1.settings.SettingsPush;
import io.sensorfleet.protocol.v1.update.UpdateTask;
import io.sensorfleet.protocol.v1.work.Work;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The four long-polls of the agent plane, timed through it with a {@link TestSensor}: each holds
 * the request for the wait when nothing is pending, and answers well before the wait ends when work
 * arrives during it. Bounds are generous: the build machine is shared.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class LongPollWaitTest {
    private static final int WAIT = 3;
    private static final long WAITED_AT_LEAST_MS = (WAIT - 1) * 1000L;
    private static final long ENDED_WITHIN_MS = (WAIT + 5) * 1000L;
    /** A wait long enough that an answer within {@link #WOKEN_WITHIN_MS} of a change can only come from the change. */
    private static final int LONG_WAIT = 30;
    private static final long WOKEN_WITHIN_MS = 2000;

    @Inject
    AgentPlaneServer agentPlane;
    @Inject
    InternalCa ca;
    @Inject
    WorkChannel channel;
    @Inject
    HeartbeatBuffer heartbeats;
    @Inject
    RolloutDriver rollouts;

    private record Answer(HttpResponse<String> response, long sentNanos, long answeredNanos) {
        long millis() {
            return (answeredNanos - sentNanos) / 1_000_000;
        }

        long millisAfter(long nanos) {
            return (answeredNanos - nanos) / 1_000_000;
        }
    }

    private static Answer timed(Supplier<HttpResponse<String>> call) {
        long sent = System.nanoTime();
        HttpResponse<String> r = call.get();
        return new Answer(r, sent, System.nanoTime());
    }

    private static CompletableFuture<Answer> async(Supplier<HttpResponse<String>> call) {
        return CompletableFuture.supplyAsync(() -> timed(call));
    }

    private TestSensor sensor() {
        TestSensor s = new TestSensor("https://127.0.0.1:" + agentPlane.port(), ca.certificatePem());
        HttpResponse<String> r = s.enroll(ConnectionString.parse(Api.connectionString(Map.of())).token());
        assertEquals(200, r.statusCode(), r.body());
        return s;
    }

    /** The sensor takes its first settings; from then on nothing is pending for it. */
    private static long settled(TestSensor s) {
        HttpResponse<String> r = s.work(-1, 5);
        assertEquals(200, r.statusCode(), r.body());
        return TestSensor.read(r.body(), Work.class).settings().revision();
    }

    /** Until exactly {@code n} polls wait on this instance: the poll under test is registered, not still on its way. */
    private void awaitWaiting(int n) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (channel.waitingCount() != n) {
            assertTrue(System.nanoTime() < deadline, "expected " + n + " waiting polls, have " + channel.waitingCount());
            Thread.sleep(20);
        }
    }

    private static void assertWaitedTheWholeWait(String what, Answer a) {
        System.out.printf("long-poll %s with nothing pending: %d after %d ms (waitSeconds=%d)%n",
                what, a.response().statusCode(), a.millis(), WAIT);
        assertEquals(204, a.response().statusCode(), what + ": " + a.response().body());
        assertTrue(a.millis() >= WAITED_AT_LEAST_MS, what + " answered after " + a.millis() + " ms, before its wait ended");
        assertTrue(a.millis() <= ENDED_WITHIN_MS, what + " held for " + a.millis() + " ms, past its wait");
    }

    private static void assertWokenByTheChange(String what, Answer a, long changedNanos) {
        System.out.printf("long-poll %s woken by a change: %d, %d ms after the change request returned (negative: before it) (waitSeconds=%d)%n",
                what, a.response().statusCode(), a.millisAfter(changedNanos), LONG_WAIT);
        assertEquals(200, a.response().statusCode(), what + ": " + a.response().body());
        assertTrue(a.millisAfter(changedNanos) <= WOKEN_WITHIN_MS,
                what + " answered " + a.millisAfter(changedNanos) + " ms after the change");
    }

    private static long changeTimeZone(TestSensor s, String zone) {
        return Api.asAdmin().body(Map.of("values", Map.of("time.timeZone", zone)))
                .patch("/api/v1/settings/sensors/" + s.identity().sensorId()).then().statusCode(200)
                .extract().jsonPath().getLong("revision");
    }

    private static void backUpNow(TestSensor s) {
        Api.asAdmin().body(Map.of("sensorIds", List.of(s.identity().sensorId())))
                .post("/api/v1/backups/collections").then().statusCode(202);
    }

    @Test
    void theWorkPollWaitsItsWholeWaitWhenNothingIsPending() {
        TestSensor s = sensor();
        long known = settled(s);
        assertWaitedTheWholeWait("work", timed(() -> s.work(known, WAIT)));
    }

    @Test
    void theSettingsPollWaitsItsWholeWaitForAnUpToDateSensor() {
        TestSensor s = sensor();
        long known = settled(s);
        assertWaitedTheWholeWait("settings",
                timed(() -> s.get(AgentPaths.SETTINGS + "?known=" + known + "&waitSeconds=" + WAIT)));
    }

    @Test
    void theBackupTaskPollWaitsItsWholeWaitWithNoTask() {
        TestSensor s = sensor();
        assertWaitedTheWholeWait("backups/tasks", timed(() -> s.get(AgentPaths.BACKUP_TASKS + "?waitSeconds=" + WAIT)));
    }

    @Test
    void theUpdateTaskPollWaitsItsWholeWaitWithNoTask() {
        TestSensor s = sensor();
        assertWaitedTheWholeWait("updates/tasks", timed(() -> s.get(AgentPaths.UPDATE_TASKS + "?waitSeconds=" + WAIT)));
    }

    @Test
    void aSettingsChangeAnswersTheWorkPollBeforeItsWaitEnds() throws Exception {
        TestSensor s = sensor();
        long known = settled(s);
        int before = channel.waitingCount();
        CompletableFuture<Answer> poll = async(() -> s.work(known, LONG_WAIT));
        awaitWaiting(before + 1);
        long revision = changeTimeZone(s, "Europe/Lisbon");
        long changed = System.nanoTime();
        Answer a = poll.get();
        assertWokenByTheChange("work (settings change)", a, changed);
        assertEquals(revision, TestSensor.read(a.response().body(), Work.class).settings().revision());
    }

    @Test
    void aSettingsChangeAnswersTheSettingsPollBeforeItsWaitEnds() throws Exception {
        TestSensor s = sensor();
        long known = settled(s);
        int before = channel.waitingCount();
        CompletableFuture<Answer> poll = async(
                () -> s.get(AgentPaths.SETTINGS + "?known=" + known + "&waitSeconds=" + LONG_WAIT));
        awaitWaiting(before + 1);
        long revision = changeTimeZone(s, "Europe/Oslo");
        long changed = System.nanoTime();
        Answer a = poll.get();
        assertWokenByTheChange("settings (settings change)", a, changed);
        assertEquals(revision, TestSensor.read(a.response().body(), SettingsPush.class).revision());
    }

    @Test
    void backUpNowAnswersTheWorkPollBeforeItsWaitEnds() throws Exception {
        TestSensor s = sensor();
        long known = settled(s);
        int before = channel.waitingCount();
        CompletableFuture<Answer> poll = async(() -> s.work(known, LONG_WAIT));
        awaitWaiting(before + 1);
        backUpNow(s);
        long changed = System.nanoTime();
        Answer a = poll.get();
        assertWokenByTheChange("work (back up now)", a, changed);
        assertEquals(BackupTask.Action.BACKUP, TestSensor.read(a.response().body(), Work.class).backup().action());
    }

    @Test
    void backUpNowAnswersTheBackupTaskPollBeforeItsWaitEnds() throws Exception {
        TestSensor s = sensor();
        int before = channel.waitingCount();
        CompletableFuture<Answer> poll = async(() -> s.get(AgentPaths.BACKUP_TASKS + "?waitSeconds=" + LONG_WAIT));
        awaitWaiting(before + 1);
        backUpNow(s);
        long changed = System.nanoTime();
        Answer a = poll.get();
        assertWokenByTheChange("backups/tasks (back up now)", a, changed);
        assertEquals(BackupTask.Action.BACKUP, TestSensor.read(a.response().body(), BackupTask.class).action());
    }

    @Test
    void aQueuedUpdateAnswersTheUpdateTaskPollBeforeItsWaitEnds() throws Exception {
        TestSensor s = sensor();
        assertEquals(200, s.postMtls(AgentPaths.HEARTBEAT, new HeartbeatRequest(Instant.now(), "19.7.0", Health.ok()))
                .statusCode());
        heartbeats.flush();
        Path dir = Files.createTempDirectory("long-poll-test-");
        String pkg = Api.asAdmin().contentType("application/octet-stream")
                .body(Files.readAllBytes(UpdatePackages.build(dir, "19.7.2", List.of("19.7.0"), "exit 0")))
                .post("/api/v1/updates/packages").then().statusCode(201).extract().path("id");
        int before = channel.waitingCount();
        CompletableFuture<Answer> poll = async(() -> s.get(AgentPaths.UPDATE_TASKS + "?waitSeconds=" + LONG_WAIT));
        awaitWaiting(before + 1);
        Api.asAdmin().body(Map.of("packageId", pkg, "sensorIds", List.of(s.identity().sensorId()), "canarySize", 0,
                "batchSize", 1)).post("/api/v1/updates/rollouts").then().statusCode(201);
        rollouts.advanceAll();
        long changed = System.nanoTime();
        Answer a = poll.get();
        assertWokenByTheChange("updates/tasks (update queued)", a, changed);
        assertEquals("19.7.2", TestSensor.read(a.response().body(), UpdateTask.class).version());
    }

    @Test
    void aSecondPollOnTheSameLaneEndsTheFirstWhileOtherLanesWaitBesideIt() throws Exception {
        TestSensor s = sensor();
        long known = settled(s);
        int before = channel.waitingCount();
        CompletableFuture<Answer> first = async(() -> s.work(known, LONG_WAIT));
        awaitWaiting(before + 1);
        CompletableFuture<Answer> second = async(() -> s.work(known, WAIT));
        Answer ended = first.get();
        System.out.printf("first work poll ended by the second after %d ms: %d%n", ended.millis(),
                ended.response().statusCode());
        assertEquals(204, ended.response().statusCode(), "the sensor gave up on the first poll: it ends empty");
        assertTrue(ended.millis() < LONG_WAIT * 1000L / 2, "the first poll was held beside the second");

        CompletableFuture<Answer> backups = async(() -> s.get(AgentPaths.BACKUP_TASKS + "?waitSeconds=" + WAIT));
        awaitWaiting(before + 2);
        assertWaitedTheWholeWait("work (the second, replacing poll)", second.get());
        assertWaitedTheWholeWait("backups/tasks (beside the work poll)", backups.get());
        awaitWaiting(before);
    }

    @Test
    void aZeroWaitIsAnsweredAtOnce() throws Exception {
        TestSensor s = sensor();
        long known = settled(s);
        int before = channel.waitingCount();
        for (int i = 0; i < 20; i++) {
            Answer a = timed(() -> s.work(known, 0));
            assertEquals(204, a.response().statusCode());
            assertTrue(a.millis() < 2000, "a zero wait was held for " + a.millis() + " ms");
        }
        awaitWaiting(before);
    }
}
