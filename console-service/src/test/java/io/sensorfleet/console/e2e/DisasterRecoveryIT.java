package io.sensorfleet.console.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.sensorfleet.agent.Agent;
import io.sensorfleet.agent.heartbeat.HeartbeatOutcome;
import io.sensorfleet.console.support.ConsoleProcess;
import io.sensorfleet.console.support.ThrowawayPostgres;
import io.sensorfleet.console.support.UpdatePackages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.sensorfleet.console.support.TestSensor.JSON;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console's disaster recovery, end to end: a packaged console with a real agent, an operator,
 * audit entries, a stored sensor backup and an uploaded package is backed up with {@code backup};
 * its database, data directory and storage are thrown away; {@code restore} loads the archive into
 * an empty PostgreSQL cluster for a new console instance, which the agent then reports to with the
 * certificate it already had.
 */
class DisasterRecoveryIT {
    private static final String PASSPHRASE = "disaster recovery passphrase for the test";
    private static final String OPERATOR = "dr-operator";
    private static final String OPERATOR_PASSWORD = "dr operator password 7";

    private final List<AutoCloseable> open = new ArrayList<>();
    private final List<Path> dirs = new ArrayList<>();
    private final BackupFixture fixture = new BackupFixture();

    @AfterEach
    void cleanUp() {
        fixture.close();
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (Exception e) {
                // best effort: temporary processes and clusters
            }
        }
        dirs.forEach(BackupFixture::deleteTree);
    }

    private Path dir(String prefix) {
        // Storage paths allow only / a-z A-Z 0-9 _.
        Path d = Path.of(System.getProperty("java.io.tmpdir"), prefix + System.nanoTime());
        dirs.add(d);
        return d;
    }

    private static Map<String, String> consoleEnv(Path backups, Path packages) {
        Map<String, String> env = new HashMap<>(BackupFixture.consoleEnv(backups));
        env.put("SENSORFLEET_UPDATES_STORAGE_DIR", packages.toString());
        env.put("SENSORFLEET_UPDATES_TRUSTED_KEYS", UpdatePackages.devTestPublicKey().toString());
        env.put("SENSORFLEET_UPDATES_DRIVER_ENABLED", "false");
        return env;
    }

    @Test
    void aConsoleRestoredIntoAnEmptyDatabaseKeepsItsSensorsOperatorsAuditBackupsAndPackages() throws Exception {
        byte[] keyBytes = new byte[32];
        new SecureRandom().nextBytes(keyBytes);
        String masterKey = Base64.getEncoder().encodeToString(keyBytes);
        Path work = Files.createTempDirectory("dr-it-");
        dirs.add(work);
        Path passphrase = Files.writeString(work.resolve("passphrase"), PASSPHRASE + "\n");

        // ---- the console to lose ---------------------------------------------------------------
        Path backups1 = dir("sf_dr_backups_");
        Path packages1 = dir("sf_dr_updates_");
        ThrowawayPostgres pg1 = ThrowawayPostgres.start();
        open.add(pg1);
        ConsoleProcess c1 = ConsoleProcess.start(pg1, masterKey, consoleEnv(backups1, packages1));
        open.add(c1);
        dirs.add(c1.dataDir);

        Agent agent = fixture.enroll(c1, "1.0.0");
        String sensorId = BackupFixture.sensorId(agent);
        String certificate = agent.stateDir().requireIdentity().certificateFingerprint();
        assertEquals(HeartbeatOutcome.Result.REPORTED, agent.heartbeatLoop().runOnce().result());
        JsonNode before = awaitSynced(c1, sensorId, Instant.EPOCH);

        HttpResponse<String> user = c1.call("POST", "/api/v1/users",
                Map.of("username", OPERATOR, "password", OPERATOR_PASSWORD, "role", "SECURITY_ANALYST"));
        assertEquals(201, user.statusCode(), user.body());

        fixture.run(agent, false);
        BackupFixture.backUpNow(c1, sensorId);
        JsonNode stored = awaitStoredBackup(c1, sensorId);
        fixture.stopAll();

        Path pkg = UpdatePackages.build(work, "2.0.0", List.of("1.0.0"), "exit 0");
        HttpResponse<String> uploaded = c1.upload("/api/v1/updates/packages", Files.readAllBytes(pkg));
        assertEquals(201, uploaded.statusCode(), uploaded.body());
        String packageId = JSON.readTree(uploaded.body()).get("id").asText();

        JsonNode auditBefore = BackupFixture.get(c1, "/api/v1/audit?size=1000");
        assertTrue(auditBefore.get("total").asInt() >= 3, auditBefore.toString());
        Map<String, String> backupFiles = hashes(backups1);
        Map<String, String> packageFiles = hashes(packages1);
        assertEquals(1, backupFiles.size(), backupFiles.toString());
        assertEquals(1, packageFiles.size(), packageFiles.toString());

        // ---- the backup procedure ----------------------------------------------------------------
        Path archive = work.resolve("console-backup.tar");
        Command backup = command(pg1, c1.dataDir, backups1, packages1, masterKey,
                "backup", "--output", archive.toString(), "--passphrase-file", passphrase.toString());
        assertEquals(0, backup.exit, backup.out);
        assertTrue(backup.out.contains("1 stored sensor backup files, 1 update package files"), backup.out);
        assertFalse(contains(Files.readAllBytes(archive), keyBytes), "the raw master key is in the archive");
        assertEquals(1, grep(masterKey, archive), "grep found the base64 master key in the archive");

        // ---- the disaster -------------------------------------------------------------------------
        int agentPort = c1.agentPort;
        c1.close();
        pg1.close();
        BackupFixture.deleteTree(c1.dataDir);
        BackupFixture.deleteTree(backups1);
        BackupFixture.deleteTree(packages1);

        // ---- the restore on a new instance, into an empty PostgreSQL -----------------------------
        ThrowawayPostgres pg2 = ThrowawayPostgres.start();
        open.add(pg2);
        Path backups2 = dir("sf_dr_backups_");
        Path packages2 = dir("sf_dr_updates_");
        Path newDataDir = Files.createTempDirectory("dr-it-console-");
        dirs.add(newDataDir);
        Path recoveredKey = work.resolve("recovered-master.key");

        Command wrong = command(pg2, newDataDir, backups2, packages2, null, "restore", "--archive", archive.toString(),
                "--passphrase-file", Files.writeString(work.resolve("wrong"), "not the passphrase of it").toString(),
                "--master-key-out", recoveredKey.toString());
        assertEquals(1, wrong.exit, wrong.out);
        assertTrue(wrong.out.contains("wrong backup passphrase"), wrong.out);
        assertFalse(Files.exists(recoveredKey), "a refused restore writes no key");

        Command restore = command(pg2, newDataDir, backups2, packages2, null, "restore", "--archive", archive.toString(),
                "--passphrase-file", passphrase.toString(), "--master-key-out", recoveredKey.toString());
        assertEquals(0, restore.exit, restore.out);
        String recovered = Files.readString(recoveredKey).strip();
        assertEquals(masterKey, recovered, "the escrow gives back the master key");
        assertEquals(backupFiles, hashes(backups2));
        assertEquals(packageFiles, hashes(packages2));

        Command again = command(pg2, newDataDir, dir("sf_dr_other_"), dir("sf_dr_other_"), null, "restore",
                "--archive", archive.toString(), "--passphrase-file", passphrase.toString(),
                "--master-key-out", work.resolve("again.key").toString());
        assertEquals(1, again.exit, again.out);
        assertTrue(again.out.contains("is not empty"), again.out);

        Map<String, String> env2 = consoleEnv(backups2, packages2);
        // The sensors know the agent plane's address: the new instance takes it over.
        env2.put("SENSORFLEET_AGENT_PLANE_PORT", String.valueOf(agentPort));
        ConsoleProcess c2 = ConsoleProcess.start(pg2, recovered, env2);
        open.add(c2);
        dirs.add(c2.dataDir);

        // The agent reports with the certificate it had, and is SYNCED on the restored console.
        HeartbeatOutcome outcome = agent.heartbeatLoop().runOnce();
        assertEquals(HeartbeatOutcome.Result.REPORTED, outcome.result(), String.valueOf(outcome.error()));
        assertEquals(certificate, agent.stateDir().requireIdentity().certificateFingerprint());
        awaitSynced(c2, sensorId, Instant.parse(before.get("lastSeen").asText()));

        // The operator logs in with the account made before the disaster.
        HttpResponse<String> login = c2.call("POST", "/api/v1/auth/login",
                Map.of("username", OPERATOR, "password", OPERATOR_PASSWORD));
        assertEquals(200, login.statusCode(), login.body());

        // The audit log is intact: every entry made before the backup, in order, unchanged.
        JsonNode auditAfter = BackupFixture.get(c2, "/api/v1/audit?size=1000");
        long lastBefore = auditBefore.get("items").get(0).get("id").asLong();
        List<JsonNode> kept = new ArrayList<>();
        auditAfter.get("items").forEach(e -> {
            if (e.get("id").asLong() <= lastBefore) {
                kept.add(e);
            }
        });
        assertEquals(auditBefore.get("total").asInt(), kept.size(), auditAfter.toString());
        List<JsonNode> expected = new ArrayList<>();
        auditBefore.get("items").forEach(expected::add);
        assertEquals(expected, kept);

        // The stored backup and the package are there and readable.
        JsonNode backupsAfter = BackupFixture.get(c2, "/api/v1/backups?sensorId=" + sensorId);
        assertEquals(1, backupsAfter.get("total").asInt(), backupsAfter.toString());
        assertEquals(stored.get("id").asText(), backupsAfter.get("items").get(0).get("id").asText());
        assertEquals("STORED", backupsAfter.get("items").get(0).get("state").asText());
        HttpResponse<String> content = c2.call("GET", "/api/v1/backups/" + stored.get("id").asText() + "/content", null);
        assertEquals(200, content.statusCode());
        HttpResponse<String> pkgAfter = c2.call("GET", "/api/v1/updates/packages/" + packageId, null);
        assertEquals(200, pkgAfter.statusCode(), pkgAfter.body());
        assertNotEquals(c1.dataDir, c2.dataDir);

        // Healthy by the probes deploy/kubernetes/sensorfleet-console.yaml uses.
        for (String probe : List.of("/q/health/started", "/q/health/ready", "/q/health/live")) {
            assertEquals(200, c2.call("GET", probe, null).statusCode(), probe);
        }
    }

    private static JsonNode awaitSynced(ConsoleProcess console, String sensorId, Instant after) {
        JsonNode[] sensor = new JsonNode[1];
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            JsonNode s = BackupFixture.get(console, "/api/v1/sensors/" + sensorId);
            assertEquals("SYNCED", s.get("connectivity").asText(), s.toString());
            assertTrue(s.hasNonNull("lastSeen") && Instant.parse(s.get("lastSeen").asText()).isAfter(after), s.toString());
            sensor[0] = s;
        });
        return sensor[0];
    }

    private static JsonNode awaitStoredBackup(ConsoleProcess console, String sensorId) {
        JsonNode[] stored = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            JsonNode list = BackupFixture.get(console, "/api/v1/backups?sensorId=" + sensorId);
            assertEquals(1, list.get("total").asInt(), list.toString());
            assertEquals("STORED", list.get("items").get(0).get("state").asText(), list.toString());
            stored[0] = list.get("items").get(0);
        });
        return stored[0];
    }

    /** Every regular file under {@code root} (relative name → SHA-256). */
    private static Map<String, String> hashes(Path root) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(p).toString(),
                        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
            }
        }
        return out;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** {@code grep -a -F -q}: 0 when found, 1 when not. */
    private static int grep(String text, Path file) throws Exception {
        Process p = new ProcessBuilder("grep", "-a", "-F", "-q", "--", text, file.toString()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return p.exitValue();
    }

    private record Command(int exit, String out) {
    }

    /**
     * Runs {@code deploy/console-recovery.sh} as an operator would: the console's settings in an
     * environment file like {@code /etc/sensorfleet/console.env}, the packaged console's jar.
     */
    private static Command command(ThrowawayPostgres pg, Path dataDir, Path backups, Path packages, String masterKey,
                                   String... args) throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("sensorfleet.console.jar",
                ThrowawayPostgres.repoRoot().resolve("console-service/target/quarkus-app/quarkus-run.jar").toString()));
        StringBuilder envFile = new StringBuilder()
                .append("QUARKUS_DATASOURCE_JDBC_URL=").append(pg.jdbcUrl).append('\n')
                .append("QUARKUS_DATASOURCE_USERNAME=").append(pg.username).append('\n')
                .append("QUARKUS_DATASOURCE_PASSWORD=").append(pg.password).append('\n')
                .append("SENSORFLEET_CONSOLE_DATA_DIR=").append(dataDir).append('\n')
                .append("SENSORFLEET_BACKUPS_STORAGE_DIR=").append(backups).append('\n')
                .append("SENSORFLEET_UPDATES_STORAGE_DIR=").append(packages).append('\n');
        if (masterKey != null) {
            envFile.append("SENSORFLEET_CONSOLE_MASTER_KEY=").append(masterKey).append('\n');
        }
        Path env = Files.createTempFile("console-env-", ".env");
        try {
            Files.writeString(env, envFile);
            List<String> cmd = new ArrayList<>(List.of("bash",
                    ThrowawayPostgres.repoRoot().resolve("deploy/console-recovery.sh").toString()));
            cmd.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().keySet().removeIf(k -> k.startsWith("SENSORFLEET_") || k.startsWith("QUARKUS_"));
            pb.environment().put("SENSORFLEET_CONSOLE_ENV", env.toString());
            pb.environment().put("SENSORFLEET_CONSOLE_JAR", jar.toString());
            pb.environment().put("SENSORFLEET_JAVA", ProcessHandle.current().info().command().orElse("java"));
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
            return new Command(p.exitValue(), out);
        } finally {
            Files.deleteIfExists(env);
        }
    }
}
