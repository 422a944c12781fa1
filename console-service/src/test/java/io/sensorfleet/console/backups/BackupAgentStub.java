package io.sensorfleet.console.backups;

import io.sensorfleet.console.support.TestSensor;
import io.sensorfleet.protocol.v1.AgentPaths;
import io.sensorfleet.protocol.v1.backup.BackupTask;
import io.sensorfleet.protocol.v1.backup.BackupUploadRequest;
import io.sensorfleet.protocol.v1.backup.BackupUploadStatus;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.UUID;

import static io.sensorfleet.console.support.TestSensor.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The agent's side of the backup protocol, spoken by a {@link TestSensor} (not the agent's code). */
final class BackupAgentStub {
    final TestSensor sensor;

    BackupAgentStub(TestSensor sensor) {
        this.sensor = sensor;
    }

    String id() {
        return sensor.identity().sensorId();
    }

    /** The next task, waiting up to a few seconds for it. */
    BackupTask nextTask() {
        HttpResponse<String> r = sensor.get(AgentPaths.BACKUP_TASKS + "?waitSeconds=10");
        assertEquals(200, r.statusCode(), "no backup task arrived: " + r.statusCode() + " " + r.body());
        return TestSensor.read(r.body(), BackupTask.class);
    }

    HttpResponse<String> start(UUID task, String fileName, byte[] content, String version) {
        return sensor.postMtls(AgentPaths.BACKUP_UPLOADS, new BackupUploadRequest(task, fileName, content.length,
                sha256(content), version, Instant.now()));
    }

    HttpResponse<String> put(UUID upload, long offset, byte[] body) {
        return sensor.send(AgentPaths.backupUpload(upload) + "?offset=" + offset, b -> b
                .header("Content-Type", "application/octet-stream").PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    /** Starts and sends the whole file; returns the console's last answer. */
    HttpResponse<String> upload(UUID task, String fileName, byte[] content) {
        HttpResponse<String> started = start(task, fileName, content, "1.0.0");
        if (started.statusCode() != 200) {
            return started;
        }
        BackupUploadStatus s = TestSensor.read(started.body(), BackupUploadStatus.class);
        return put(s.uploadId(), s.received(), Arrays.copyOfRange(content, (int) s.received(), content.length));
    }

    /** Waits for a BACKUP task and uploads {@code content} for it; asserts it was stored. */
    BackupUploadStatus backUp(byte[] content) {
        BackupTask t = nextTask();
        assertEquals(BackupTask.Action.BACKUP, t.action());
        HttpResponse<String> r = upload(t.taskId(), "sensor-backup-version-1.0.0-2026-01-01_03:00:00.tar", content);
        assertEquals(200, r.statusCode(), r.body());
        BackupUploadStatus s = TestSensor.read(r.body(), BackupUploadStatus.class);
        assertEquals(true, s.complete(), r.body());
        return s;
    }

    /** Status of a download of {@code backup} by this sensor. */
    int getBytesStatus(UUID backup, java.util.Map<String, String> headers) {
        return sensor.getBytes(AgentPaths.backupContent(backup), headers).statusCode();
    }

    static byte[] content(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
