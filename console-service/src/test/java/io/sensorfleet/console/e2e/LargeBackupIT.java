package io.sensorfleet.console.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.sensorfleet.agent.Agent;
import io.sensorfleet.console.support.ConsoleCluster;
import io.sensorfleet.console.support.ConsoleProcess;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Uploads are streamed: a 1 GiB backup goes through a console whose whole heap is 256 MB. */
class LargeBackupIT {
    private static final Logger LOG = Logger.getLogger(LargeBackupIT.class);
    private static final long GIB = 1L << 30;
    static Path storage;
    static ConsoleCluster cluster;
    static ConsoleProcess console;

    @BeforeAll
    static void start() throws Exception {
        storage = BackupFixture.storageDir();
        cluster = ConsoleCluster.start(1, BackupFixture.consoleEnv(storage), List.of("-Xmx256m"));
        console = cluster.console(0);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        BackupFixture.deleteTree(storage);
    }

    @Test
    void aOneGibibyteBackupUploadsToAConsoleRunningWithA256MegabyteHeap() throws Exception {
        try (BackupFixture fixture = new BackupFixture()) {
            Agent agent = fixture.enroll(console, "1.0.0");
            Path state = agent.stateDir().path();
            String id = BackupFixture.sensorId(agent);
            long t0 = System.nanoTime();
            BackupRestoreIT.randomFile(state.resolve("data/flows.bin"), GIB);
            LOG.infof("generated 1 GiB of data in %d ms", (System.nanoTime() - t0) / 1_000_000);
            fixture.run(agent, false);

            BackupFixture.backUpNow(console, id);
            JsonNode[] stored = new JsonNode[1];
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                JsonNode list = BackupFixture.get(console, "/api/v1/backups?sensorId=" + id);
                assertEquals(1, list.get("total").asInt(), list.toString());
                assertEquals("STORED", list.get("items").get(0).get("state").asText());
                stored[0] = list.get("items").get(0);
            });
            long size = stored[0].get("sizeBytes").asLong();
            assertTrue(size > GIB, "size " + size);
            Duration upload = Duration.between(Instant.parse(stored[0].get("createdAt").asText()),
                    Instant.parse(stored[0].get("storedAt").asText()));
            double mbPerSecond = size / 1e6 / Math.max(0.001, upload.toMillis() / 1000.0);
            String metrics = console.call("GET", "/q/metrics", null).body();
            LOG.infof("1 GiB backup (%d bytes) uploaded in %d ms: %.0f MB/s through a console with -Xmx256m; "
                    + "console heap now: %s", size, upload.toMillis(), mbPerSecond, heapUsed(metrics));
            Path file = storage.resolve(id.replace("-", "")).resolve(stored[0].get("id").asText().replace("-", "") + ".tar");
            assertEquals(size, Files.size(file));
            assertTrue(!console.log().contains("OutOfMemoryError"), "no OutOfMemoryError in the console log");
        }
    }

    /** Sum of the heap pools' used bytes from the Prometheus text, in MB. */
    private static String heapUsed(String metrics) {
        double bytes = metrics.lines().filter(l -> l.startsWith("jvm_memory_used_bytes{") && l.contains("area=\"heap\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        return Math.round(bytes / 1e6) + " MB used";
    }
}
