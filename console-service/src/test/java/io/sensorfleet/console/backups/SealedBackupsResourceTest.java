package io.sensorfleet.console.backups;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.sensorfleet.console.agentplane.AgentPlaneServer;
import io.sensorfleet.console.certificates.InternalCa;
import io.sensorfleet.console.support.Api;
import io.sensorfleet.console.support.PostgresTestResource;
import io.sensorfleet.console.support.TestSensor;
import io.sensorfleet.lib.backup.SealedSecrets;
import io.sensorfleet.lib.tar.TarWriter;
import io.sensorfleet.protocol.v1.backup.BackupTask;
import io.sensorfleet.protocol.v1.backup.BackupUploadStatus;
import io.sensorfleet.protocol.v1.enrollment.ConnectionString;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Secrets in stored backups: sealed by the sensor (or, for an agent that does not seal, by the
 * console on arrival), never in clear in storage as the real {@code tar} sees it, in files and
 * directories only the console's user can read; opened again only for the restore task.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class SealedBackupsResourceTest {
    private static final String PASSWORD = "Pr0xy-Passw0rd-" + UUID.randomUUID();
    private static final byte[] SECRETS = ("network.proxyPassword=\"" + PASSWORD + "\"\n").getBytes(StandardCharsets.UTF_8);

    @Inject
    AgentPlaneServer agentPlane;
    @Inject
    InternalCa ca;
    @Inject
    BackupStorage storage;
    @TempDir
    Path dir;

    private BackupAgentStub sensor() {
        TestSensor s = new TestSensor("https://127.0.0.1:" + agentPlane.port(), ca.certificatePem());
        assertEquals(200, s.enroll(ConnectionString.parse(Api.connectionString(Map.of())).token()).statusCode());
        return new BackupAgentStub(s);
    }

    private BackupTask backupTask(BackupAgentStub s) {
        Api.asAdmin().body(Map.of("sensorIds", java.util.List.of(s.id()))).post("/api/v1/backups/collections")
                .then().statusCode(202);
        BackupTask t = s.nextTask();
        assertEquals(BackupTask.Action.BACKUP, t.action());
        return t;
    }

    /** A backup as the agent lays it out, with the secrets entry given. */
    private byte[] archive(String secretsEntry, byte[] secrets) throws IOException {
        Path f = dir.resolve(UUID.randomUUID() + ".tar");
        try (TarWriter tar = new TarWriter(FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE))) {
            tar.file("sensorfleet-backup.json", "{\"format\":1,\"softwareVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8), 1);
            tar.directory("config", 1);
            tar.file("config/network.conf", "network.proxy=\"proxy.example:3128\"\n".getBytes(StandardCharsets.UTF_8), 1);
            tar.file(secretsEntry, secrets.length, 1, 0600, Channels.newChannel(new ByteArrayInputStream(secrets)));
            tar.directory("data", 1);
            tar.file("data/assets.db", new byte[4096], 1);
            tar.finish();
        }
        return Files.readAllBytes(f);
    }

    private UUID upload(BackupAgentStub s, BackupTask t, byte[] content) {
        var r = s.upload(t.taskId(), "sensor-backup-version-1.0.0-2026-01-01_03:00:00.tar", content);
        assertEquals(200, r.statusCode(), r.body());
        BackupUploadStatus status = TestSensor.read(r.body(), BackupUploadStatus.class);
        assertTrue(status.complete(), r.body());
        return status.uploadId();
    }

    private Path storedFile(BackupAgentStub s, UUID backup) {
        return storage.file(BackupStorage.storageName(UUID.fromString(s.id()), backup));
    }

    /** What the real tar binary prints for every entry's content. */
    private static String tarContents(Path file) throws Exception {
        Process p = new ProcessBuilder("tar", "-xOf", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    private static String tarList(Path file) throws Exception {
        Process p = new ProcessBuilder("tar", "-tf", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private BackupTask restoreTask(BackupAgentStub s, UUID backup) {
        Api.asAdmin().post("/api/v1/backups/" + backup + "/restore").then().statusCode(202);
        BackupTask t = s.nextTask();
        assertEquals(BackupTask.Action.RESTORE, t.action());
        return t;
    }

    @Test
    void aBackupTaskCarriesTheConsolesSealingKeyAndSealedSecretsComeBackOnlyInTheRestoreTask() throws Exception {
        BackupAgentStub s = sensor();
        BackupTask t = backupTask(s);
        assertNotNull(t.sealingKey(), "the task names the key to seal with");
        assertEquals(SealedSecrets.ALGORITHM, t.sealingKey().algorithm());
        PublicKey key = SealedSecrets.publicKey(t.sealingKey().publicKey());
        assertEquals(SealedSecrets.keyId(key), t.sealingKey().keyId());
        byte[] sealed = SealedSecrets.seal(key, SECRETS, SealedSecrets.SEALED_ENTRY);
        byte[] content = archive(SealedSecrets.SEALED_ENTRY, sealed);
        UUID backup = upload(s, t, content);

        Path stored = storedFile(s, backup);
        assertEquals("rw-------", mode(stored), "the stored backup is readable by the console's user only");
        assertEquals("rwx------", mode(stored.getParent()), "so is the sensor's storage directory");
        assertFalse(tarContents(stored).contains(PASSWORD), "tar -xOf of the stored backup shows no secret");
        assertEquals(BackupAgentStub.sha256(content), Api.asAdmin().get("/api/v1/backups/" + backup).then()
                .extract().path("sha256"), "a backup sealed by the sensor is stored as it came");
        byte[] downloaded = Api.asAdmin().get("/api/v1/backups/" + backup + "/content").then().statusCode(200)
                .extract().asByteArray();
        assertFalse(new String(downloaded, StandardCharsets.ISO_8859_1).contains(PASSWORD), "nor does an operator's download");

        BackupTask restore = restoreTask(s, backup);
        assertEquals(new String(SECRETS, StandardCharsets.UTF_8), restore.restore().secrets(),
                "the console opens the secrets for the sensor, inside the restore task");
        assertFalse(restore.restore().toString().contains(PASSWORD), "and keeps them out of log lines");
    }

    @Test
    void clearSecretsFromAnAgentThatDoesNotSealAreSealedOnArrival() throws Exception {
        BackupAgentStub s = sensor();
        BackupTask t = backupTask(s);
        byte[] content = archive(SealedSecrets.CLEAR_ENTRY, SECRETS);
        UUID backup = upload(s, t, content);

        Path stored = storedFile(s, backup);
        assertEquals("rw-------", mode(stored));
        assertEquals("rwx------", mode(stored.getParent()));
        assertFalse(tarContents(stored).contains(PASSWORD), "tar -xOf of the stored backup shows no secret");
        String listing = tarList(stored);
        assertTrue(listing.contains(SealedSecrets.SEALED_ENTRY) && listing.contains("data/assets.db"), listing);
        assertTrue(tarContents(stored).contains("proxy.example:3128"), "everything else is kept as it came");
        JsonPath listed = Api.asAdmin().get("/api/v1/backups/" + backup).then().statusCode(200).extract().jsonPath();
        assertNotEquals(BackupAgentStub.sha256(content), listed.getString("sha256"));
        assertEquals(BackupAgentStub.sha256(Files.readAllBytes(stored)), listed.getString("sha256"),
                "the checksum recorded is the stored file's, which the restore checks");
        assertEquals(Files.size(stored), listed.getLong("sizeBytes"));
        var again = s.start(t.taskId(), "sensor-backup-version-1.0.0-2026-01-01_03:00:00.tar", content, "1.0.0");
        assertEquals(200, again.statusCode(), "a sensor asking again about its upload is told it is stored: " + again.body());
        assertTrue(TestSensor.read(again.body(), BackupUploadStatus.class).complete());

        BackupTask restore = restoreTask(s, backup);
        assertEquals(new String(SECRETS, StandardCharsets.UTF_8), restore.restore().secrets());
        assertEquals(listed.getString("sha256"), restore.restore().sha256());
    }

    @Test
    void aRestoreWhoseSealedSecretsThisConsoleCannotOpenFailsWithTheReasonAndIsNotHandedOut() throws Exception {
        BackupAgentStub s = sensor();
        BackupTask t = backupTask(s);
        PublicKey foreign = SealedSecrets.generate().getPublic();
        UUID backup = upload(s, t, archive(SealedSecrets.SEALED_ENTRY, SealedSecrets.seal(foreign, SECRETS,
                SealedSecrets.SEALED_ENTRY)));

        Api.asAdmin().post("/api/v1/backups/" + backup + "/restore").then().statusCode(202);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            s.sensor.get(io.sensorfleet.protocol.v1.AgentPaths.BACKUP_TASKS + "?waitSeconds=1");
            JsonPath failures = Api.asAdmin().get("/api/v1/backups/failures?sensorId=" + s.id()).then().statusCode(200)
                    .extract().jsonPath();
            assertEquals("RESTORE", failures.getString("items[0].action"));
            assertTrue(failures.getString("items[0].reason").contains("cannot be opened by this console")
                    && failures.getString("items[0].reason").contains(SealedSecrets.keyId(foreign)),
                    failures.getString("items[0].reason"));
        });
        Api.asAdmin().get("/api/v1/backups/tasks?active=true&sensorId=" + s.id()).then().statusCode(200)
                .body("total", org.hamcrest.Matchers.equalTo(0));
    }
}
