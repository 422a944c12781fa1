package io.sensorfleet.console.backups;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.sensorfleet.console.agentplane.AgentPlaneServer;
import io.sensorfleet.console.certificates.InternalCa;
import io.sensorfleet.console.support.Api;
import io.sensorfleet.console.support.PostgresTestResource;
import io.sensorfleet.console.support.ServerErrorLog;
import io.sensorfleet.console.support.TestClock;
import io.sensorfleet.console.support.TestSensor;
import io.sensorfleet.protocol.v1.AgentPaths;
import io.sensorfleet.protocol.v1.backup.BackupFailureKind;
import io.sensorfleet.protocol.v1.backup.BackupTask;
import io.sensorfleet.protocol.v1.backup.BackupTaskResult;
import io.sensorfleet.protocol.v1.backup.BackupUploadStatus;
import io.sensorfleet.protocol.v1.enrollment.ConnectionString;
import io.sensorfleet.protocol.v1.Problem;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@ExtendWith(ServerErrorLog.class)
class BackupsResourceTest {
    @Inject
    AgentPlaneServer agentPlane;
    @Inject
    InternalCa ca;
    @Inject
    BackupStorage storage;
    @Inject
    BackupTasks tasks;
    @Inject
    BackupScheduler scheduler;
    @Inject
    TestClock clock;

    private BackupAgentStub sensor() {
        TestSensor s = new TestSensor("https://127.0.0.1:" + agentPlane.port(), ca.certificatePem());
        assertEquals(200, s.enroll(ConnectionString.parse(Api.connectionString(Map.of())).token()).statusCode());
        return new BackupAgentStub(s);
    }

    private static String collect(BackupAgentStub... sensors) {
        return Api.asAdmin().body(Map.of("sensorIds", Arrays.stream(sensors).map(BackupAgentStub::id).toList()))
                .post("/api/v1/backups/collections").then().statusCode(202).extract().path("collectionId");
    }

    private static JsonPath backupsOf(BackupAgentStub s) {
        return Api.asAdmin().get("/api/v1/backups?sensorId=" + s.id()).then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath failuresOf(BackupAgentStub s) {
        return Api.asAdmin().get("/api/v1/backups/failures?sensorId=" + s.id()).then().statusCode(200).extract().jsonPath();
    }

    /** Every file in the sensor's storage directory. */
    private List<Path> storedFiles(BackupAgentStub s) throws IOException {
        Path dir = storage.root().resolve(UUID.fromString(s.id()).toString().replace("-", ""));
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }

    @Test
    void backUpNowCollectsFromTheSensorAndOnlyAnAdminMayDownloadIt() {
        BackupAgentStub s = sensor();
        String collection = collect(s);
        byte[] content = BackupAgentStub.content(50_000, 1);
        BackupUploadStatus stored = s.backUp(content);

        JsonPath list = backupsOf(s);
        assertEquals(1, list.getInt("total"));
        assertEquals("STORED", list.getString("items[0].state"));
        assertEquals(BackupAgentStub.sha256(content), list.getString("items[0].sha256"));
        assertEquals(50_000, list.getLong("items[0].sizeBytes"));
        Api.as("READ_ONLY").get("/api/v1/backups/" + stored.uploadId()).then().statusCode(200);

        byte[] downloaded = Api.asAdmin().get("/api/v1/backups/" + stored.uploadId() + "/content").then().statusCode(200)
                .header("Content-Disposition", containsString("sensor-backup-version-1.0.0-2026-01-01_03:00:00.tar"))
                .extract().asByteArray();
        assertArrayEquals(content, downloaded);
        Api.as("READ_ONLY").get("/api/v1/backups/" + stored.uploadId() + "/content").then().statusCode(403);
        Api.as("SECURITY_ANALYST").get("/api/v1/backups/" + stored.uploadId() + "/content").then().statusCode(403);

        Api.as("READ_ONLY").get("/api/v1/backups/collections/" + collection).then().statusCode(200)
                .body("progress.done", equalTo(1)).body("progress.finished", equalTo(true))
                .body("progress.bytesDone", equalTo(50_000));
        Api.asAdmin().get("/api/v1/sensors/" + s.id() + "/backups").then().statusCode(200)
                .body("backups.size()", equalTo(1)).body("usedBytes", equalTo(50_000));
    }

    @Test
    void aCorruptedUploadIsRejectedByChecksumAndRecordedAsAFailure() throws IOException {
        BackupAgentStub s = sensor();
        collect(s);
        BackupTask t = s.nextTask();
        byte[] original = BackupAgentStub.content(40_000, 2);
        HttpResponse<String> started = s.start(t.taskId(), "b.tar", original, "1.0.0");
        assertEquals(200, started.statusCode(), started.body());
        UUID upload = TestSensor.read(started.body(), BackupUploadStatus.class).uploadId();
        byte[] flipped = original.clone();
        flipped[20_000] ^= 0x01; // one bit changed in transit

        HttpResponse<String> r = s.put(upload, 0, flipped);
        assertEquals(422, r.statusCode(), r.body());
        Problem p = TestSensor.read(r.body(), Problem.class);
        assertEquals(Problem.TYPE_PREFIX + "checksum-mismatch", p.type());
        assertTrue(p.detail().contains(BackupAgentStub.sha256(original)), p.detail());

        assertEquals(0, backupsOf(s).getInt("total"), "nothing stored");
        JsonPath failures = failuresOf(s);
        assertEquals(1, failures.getInt("total"));
        assertEquals("CHECKSUM_MISMATCH", failures.getString("items[0].kind"));
        assertEquals("BACKUP", failures.getString("items[0].action"));
        Api.asAdmin().get("/api/v1/backups/tasks?sensorId=" + s.id()).then()
                .body("items[0].state", equalTo("FAILED")).body("items[0].failureKind", equalTo("CHECKSUM_MISMATCH"));
        assertEquals(List.of(), storedFiles(s), "the damaged upload is deleted");
        // ... and raised as a remote backup failure for forwarding, in the same transaction.
        Api.asAdmin().get("/api/v1/notifications?type=REMOTE_BACKUP_FAILED&sensorId=" + s.id()).then().statusCode(200)
                .body("total", equalTo(1)).body("items[0].message", org.hamcrest.Matchers.containsString("CHECKSUM_MISMATCH"));
    }

    @Test
    void afterFiveCollectionsWithKeepThreeExactlyTheNewestThreeRemain() throws IOException {
        BackupAgentStub s = sensor();
        List<String> sums = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            collect(s);
            byte[] content = BackupAgentStub.content(5_000, 100 + i);
            s.backUp(content);
            sums.add(BackupAgentStub.sha256(content));
        }
        JsonPath list = backupsOf(s);
        assertEquals(3, list.getInt("total"));
        assertEquals(List.of(sums.get(4), sums.get(3), sums.get(2)), list.getList("items.sha256"));
        assertEquals(3, storedFiles(s).size(), "the two oldest files are deleted too: " + storedFiles(s));
    }

    @Test
    void aBackupBeyondItsSensorsAllocationIsSkippedWithTheReasonAndTheNextSensorIsCollected() {
        BackupAgentStub big = sensor();
        BackupAgentStub next = sensor();
        Api.asAdmin().body(Map.of("bytes", 10_000)).put("/api/v1/backups/allocations/" + big.id()).then().statusCode(200)
                .body("custom", equalTo(true));
        String collection = collect(big, next);

        HttpResponse<String> refused = big.upload(big.nextTask().taskId(), "big.tar", BackupAgentStub.content(20_000, 3));
        assertEquals(409, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("allocation-exceeded"), refused.body());
        next.backUp(BackupAgentStub.content(20_000, 4));

        JsonPath failures = failuresOf(big);
        assertEquals("ALLOCATION_EXCEEDED", failures.getString("items[0].kind"));
        assertTrue(failures.getString("items[0].reason").contains("does not fit the sensor's allocation of 10000 bytes"),
                failures.getString("items[0].reason"));
        assertEquals(1, backupsOf(next).getInt("total"));
        Api.asAdmin().get("/api/v1/backups/collections/" + collection).then()
                .body("progress.done", equalTo(1)).body("progress.failed", equalTo(1)).body("progress.finished", equalTo(true));
    }

    @Test
    void namesWithPathTricksAreNeutralisedAndEveryFileLandsInsideTheStorageDirectory() throws IOException {
        Path outside = storage.root().getParent().resolve("escaped.tar");
        List<String> hostile = List.of("../../escaped.tar", "/etc/cron.d/evil.tar", "ok.tar\u0000../../escaped.tar",
                "..\\..\\escaped.tar", "..");
        for (String name : hostile) {
            BackupAgentStub s = sensor();
            collect(s);
            HttpResponse<String> r = s.upload(s.nextTask().taskId(), name, BackupAgentStub.content(2_000, name.hashCode()));
            assertEquals(200, r.statusCode(), name + ": " + r.body());
            String stored = backupsOf(s).getString("items[0].fileName");
            assertFalse(stored.contains("/") || stored.contains("\\") || stored.contains("\u0000") || stored.startsWith("."),
                    name + " was stored as " + stored);
            for (Path p : storedFiles(s)) {
                assertTrue(p.toAbsolutePath().normalize().startsWith(storage.root()), p.toString());
                assertTrue(p.getFileName().toString().matches("[0-9a-f]{32}\\.tar"), "server-chosen name: " + p);
            }
        }
        assertFalse(Files.exists(outside));
        assertFalse(Files.exists(Path.of("/etc/cron.d/evil.tar")));
    }

    @Test
    void anInterruptedUploadResumesFromTheBytesTheConsoleHolds() {
        BackupAgentStub s = sensor();
        collect(s);
        BackupTask t = s.nextTask();
        byte[] content = BackupAgentStub.content(30_000, 5);
        UUID upload = TestSensor.read(s.start(t.taskId(), "b.tar", content, "1.0.0").body(), BackupUploadStatus.class).uploadId();
        HttpResponse<String> half = s.put(upload, 0, Arrays.copyOfRange(content, 0, 12_345));
        assertEquals(200, half.statusCode(), half.body());
        assertFalse(TestSensor.read(half.body(), BackupUploadStatus.class).complete());

        HttpResponse<String> again = s.start(t.taskId(), "b.tar", content, "1.0.0");
        BackupUploadStatus status = TestSensor.read(again.body(), BackupUploadStatus.class);
        assertEquals(upload, status.uploadId());
        assertEquals(12_345, status.received());
        HttpResponse<String> beyond = s.put(upload, 20_000, Arrays.copyOfRange(content, 20_000, content.length));
        assertEquals(409, beyond.statusCode(), "bytes after a gap are refused");
        assertTrue(beyond.body().contains("offset-mismatch") && beyond.body().contains("12345"), beyond.body());

        HttpResponse<String> rest = s.put(upload, 12_345, Arrays.copyOfRange(content, 12_345, content.length));
        assertEquals(200, rest.statusCode(), rest.body());
        assertTrue(TestSensor.read(rest.body(), BackupUploadStatus.class).complete());
        JsonPath b = backupsOf(s);
        assertEquals(BackupAgentStub.sha256(content), b.getString("items[0].sha256"));
        assertEquals(12_345, b.getLong("items[0].resumedFromBytes"));
        assertEquals(2, b.getInt("items[0].uploadAttempts"));
    }

    @Test
    void aRestoreOfABackupOfAnotherVersionIsRefusedNamingBothVersions() {
        BackupAgentStub s = sensor();
        collect(s);
        BackupTask t = s.nextTask();
        byte[] content = BackupAgentStub.content(3_000, 6);
        HttpResponse<String> started = s.start(t.taskId(), "old.tar", content, "0.9.0");
        UUID id = TestSensor.read(started.body(), BackupUploadStatus.class).uploadId();
        assertEquals(200, s.put(id, 0, content).statusCode());

        Api.asAdmin().post("/api/v1/backups/" + id + "/restore").then().statusCode(409)
                .contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo(Problem.TYPE_PREFIX + "version-mismatch"))
                .body("detail", containsString("version 0.9.0")).body("detail", containsString("version 1.0.0"));
        Api.asAdmin().get("/api/v1/backups/tasks?active=true&sensorId=" + s.id()).then().body("total", equalTo(0));
    }

    @Test
    void aRestoreIsHandedToItsSensorWhichAloneMayDownloadThatBackupAndItsOutcomeIsRecorded() {
        BackupAgentStub s = sensor();
        BackupAgentStub other = sensor();
        collect(s);
        byte[] content = BackupAgentStub.content(10_000, 7);
        UUID backup = s.backUp(content).uploadId();
        assertEquals(404, s.getBytesStatus(backup, Map.of()), "no restore asked for yet");

        String task = Api.asAdmin().post("/api/v1/backups/" + backup + "/restore").then().statusCode(202)
                .extract().path("taskId");
        Api.asAdmin().post("/api/v1/backups/" + backup + "/restore").then().statusCode(409)
                .body("type", equalTo(Problem.TYPE_PREFIX + "sensor-busy"));
        BackupTask t = s.nextTask();
        assertEquals(BackupTask.Action.RESTORE, t.action());
        assertEquals(task, t.taskId().toString());
        assertEquals(BackupAgentStub.sha256(content), t.restore().sha256());

        HttpResponse<byte[]> rest = s.sensor.getBytes(AgentPaths.backupContent(backup), Map.of("Range", "bytes=4000-"));
        assertEquals(206, rest.statusCode());
        assertArrayEquals(Arrays.copyOfRange(content, 4000, content.length), rest.body());
        assertEquals(404, other.getBytesStatus(backup, Map.of()), "another sensor cannot fetch it");

        HttpResponse<String> report = s.sensor.postMtls(AgentPaths.BACKUP_RESULTS, new BackupTaskResult(t.taskId(), false,
                BackupFailureKind.VERSION_MISMATCH, "backup was taken with version 1.0.0 but this sensor runs version 1.1.0"));
        assertEquals(204, report.statusCode(), report.body());
        JsonPath failures = failuresOf(s);
        assertEquals("RESTORE", failures.getString("items[0].action"));
        assertEquals("VERSION_MISMATCH", failures.getString("items[0].kind"));
        assertTrue(failures.getString("items[0].reason").contains("1.1.0"));
    }

    @Test
    void anUploadThatStallsFailsAsANetworkFailureAndItsPartIsDeleted() throws IOException {
        BackupAgentStub s = sensor();
        collect(s);
        BackupTask t = s.nextTask();
        byte[] content = BackupAgentStub.content(8_000, 8);
        UUID upload = TestSensor.read(s.start(t.taskId(), "b.tar", content, "1.0.0").body(), BackupUploadStatus.class).uploadId();
        s.put(upload, 0, Arrays.copyOfRange(content, 0, 3_000));
        try {
            clock.advance(Duration.ofMinutes(11));
            tasks.sweep();
        } finally {
            clock.reset();
        }
        JsonPath failures = failuresOf(s);
        assertEquals("NETWORK_FAILURE", failures.getString("items[0].kind"));
        assertTrue(failures.getString("items[0].reason").contains("stopped at 3000 of 8000 bytes"),
                failures.getString("items[0].reason"));
        assertEquals(List.of(), storedFiles(s));
    }

    @Test
    void theDailyCollectionIsStartedOnceHoweverManyInstancesTryAndItsSensorsReuseTheirOwnBackup() {
        BackupAgentStub s = sensor();
        LocalDate day = LocalDate.of(2031, 1, 1 + (int) (System.nanoTime() % 28));
        assertTrue(scheduler.collect(day));
        assertFalse(scheduler.collect(day));
        long scheduled = Api.asAdmin().get("/api/v1/backups/collections?size=200").then().extract().jsonPath()
                .getList("items.scheduledFor").stream().filter(day.toString()::equals).count();
        assertEquals(1, scheduled);
        BackupTask t = s.nextTask();
        assertEquals(Duration.ofHours(24).toSeconds(), t.reuseWithinSeconds());
    }

    @Test
    void aCollectionNeedsExactlyOneTarget() {
        Api.asAdmin().body(Map.of()).post("/api/v1/backups/collections").then().statusCode(400)
                .body("detail", containsString("exactly one"));
        Api.asAdmin().body(Map.of("zoneId", UUID.randomUUID())).post("/api/v1/backups/collections").then().statusCode(404);
        Api.asAdmin().body(Map.of("sensorIds", List.of(UUID.randomUUID()))).post("/api/v1/backups/collections").then()
                .statusCode(400).body("detail", containsString("do not exist"));
    }
}
