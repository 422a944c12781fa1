package io.sensorfleet.console.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.sensorfleet.agent.Agent;
import io.sensorfleet.agent.update.InstalledVersions;
import io.sensorfleet.agent.update.Installer;
import io.sensorfleet.agent.update.UpdateLoop;
import io.sensorfleet.agent.update.VendorKeyRing;
import io.sensorfleet.console.support.ConsoleCluster;
import io.sensorfleet.console.support.ConsoleProcess;
import io.sensorfleet.console.support.ThrowawayPostgres;
import io.sensorfleet.console.support.UpdatePackages;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.sensorfleet.console.support.TestSensor.JSON;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 of one of three console instances while a rollout (canary + batches of two, soak 0,
 * driver every second on every instance) and a backup collection are under way, both started
 * through the instance that dies. The survivors finish both, once: every sensor is queued for
 * its update exactly once, no batch opens before the previous one ended, and every sensor ends
 * with exactly one stored backup for the collection. Agents (the agent's classes, their update
 * and backup loops on threads) are spread over the three, a third of them on the victim: they go
 * on through the next address they were given.
 */
class ScheduledWorkAfterInstanceLossIT {
    private static final int SENSORS = 6;

    @Test
    void aRolloutAndABackupCollectionUnderWayFinishOnTheSurvivorsOnce() throws Exception {
        Path storage = BackupFixture.storageDir();
        Path packages = Path.of(System.getProperty("java.io.tmpdir"), "sf_ha_updates_it_" + System.nanoTime());
        Map<String, String> env = new HashMap<>(BackupFixture.consoleEnv(storage));
        env.put("SENSORFLEET_UPDATES_STORAGE_DIR", packages.toString());
        env.put("SENSORFLEET_UPDATES_TRUSTED_KEYS", UpdatePackages.devTestPublicKey().toString());
        env.put("SENSORFLEET_UPDATES_DRIVER_INTERVAL", "1s");
        env.put("SENSORFLEET_UPDATES_SOAK_SECONDS", "0");
        // A backup task the victim handed to a long-poll whose answer never reached the agent is handed
        // out again after the offer timeout (2 min by default; a run waited for it), swept every 30 s.
        env.put("SENSORFLEET_BACKUPS_OFFER_TIMEOUT", "10s");
        env.put("SENSORFLEET_BACKUPS_SWEEP_INTERVAL", "1s");
        List<Runnable> stops = new ArrayList<>();
        List<Integer> agentPorts = List.of(ThrowawayPostgres.freePort(), ThrowawayPostgres.freePort(),
                ThrowawayPostgres.freePort());
        try (ConsoleCluster cluster = ConsoleCluster.start(3, i -> withAgentPlane(env, agentPorts, i), List.of("-Xmx384m"));
             BackupFixture fixture = new BackupFixture()) {
            ConsoleProcess victim = cluster.console(0);
            ConsoleProcess survivor = cluster.console(1);
            List<Agent> fleet = new ArrayList<>();
            for (int i = 0; i < SENSORS; i++) {
                Agent a = fixture.enroll(cluster.console(i % 3), "1.0.0");
                UpdateLoop loop = a.updateLoop(Installer.StageHook.NONE,
                        new VendorKeyRing(UpdatePackages.devTestPublicKey(), a.stateDir().path()), null);
                stops.add(loop::stop);
                Thread.ofPlatform().daemon().start(loop::run);
                fixture.run(a, false);
                fleet.add(a);
            }
            List<String> ids = fleet.stream().map(BackupFixture::sensorId).toList();
            Path pkg = UpdatePackages.build(Files.createTempDirectory("pkg-"), "1.1.0", List.of("1.0.0"), "exit 0");
            HttpResponse<String> up = victim.upload("/api/v1/updates/packages", Files.readAllBytes(pkg));
            assertEquals(201, up.statusCode(), up.body());
            HttpResponse<String> created = victim.call("POST", "/api/v1/updates/rollouts", Map.of(
                    "packageId", JSON.readTree(up.body()).get("id").asText(), "sensorIds", ids,
                    "canarySize", 1, "batchSize", 2, "soakSeconds", 0));
            assertEquals(201, created.statusCode(), created.body());
            String rollout = JSON.readTree(created.body()).get("id").asText();

            // The kill comes once the canary has ended and the batch of an agent of the victim is open
            // (batches follow the sensors' names, here all alike, then ids): the rollout is under way.
            String onVictim = null;
            int victimBatch = Integer.MAX_VALUE;
            for (int i = 0; i < SENSORS; i += 3) {
                int b = BackupFixture.get(survivor, "/api/v1/updates/rollouts/" + rollout + "/sensors/" + ids.get(i))
                        .get("target").get("batch").asInt();
                if (b >= 1 && b < victimBatch) {
                    victimBatch = b;
                    onVictim = ids.get(i);
                }
            }
            int openAtKill = victimBatch;
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> BackupFixture.get(
                    survivor, "/api/v1/updates/rollouts/" + rollout).get("currentBatch").asInt() >= openAtKill);
            HttpResponse<String> collect = victim.call("POST", "/api/v1/backups/collections", Map.of("sensorIds", ids));
            assertEquals(202, collect.statusCode(), collect.body());
            String collection = JSON.readTree(collect.body()).get("collectionId").asText();
            JsonNode before = BackupFixture.get(survivor, "/api/v1/updates/rollouts/" + rollout);
            String victimAgentStage = BackupFixture.get(survivor, "/api/v1/updates/rollouts/" + rollout + "/sensors/"
                    + onVictim).get("target").get("stage").asText();
            JsonNode collectionBefore = BackupFixture.get(survivor, "/api/v1/backups/collections/" + collection);
            Instant killed = Instant.now();
            victim.kill();
            System.out.printf("measure scheduled-work: killed at batch %d of %d (%s; the victim's agent in it %s), "
                            + "collection %s%n", before.get("currentBatch").asInt(), before.get("batches").asInt(),
                    before.get("stages"), victimAgentStage, collectionBefore.get("progress"));
            assertTrue(!collectionBefore.get("progress").get("finished").asBoolean()
                    && before.get("state").asText().equals("RUNNING"), "both were under way at the kill");

            JsonNode[] last = new JsonNode[1];
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                last[0] = BackupFixture.get(survivor, "/api/v1/updates/rollouts/" + rollout);
                assertEquals("SUCCEEDED", last[0].get("state").asText(), last[0].toString());
            });
            System.out.printf("measure scheduled-work: rollout SUCCEEDED on the survivors %d ms after kill -9%n",
                    Duration.between(killed, Instant.parse(last[0].get("finishedAt").asText())).toMillis());
            Map<Integer, List<JsonNode>> byBatch = new HashMap<>();
            for (String id : ids) {
                JsonNode t = BackupFixture.get(survivor, "/api/v1/updates/rollouts/" + rollout + "/sensors/" + id);
                assertEquals("SUCCEEDED", t.get("target").get("stage").asText(), t.toString());
                assertEquals(1, t.get("target").get("attempts").asInt(), "offered once: " + t);
                long queued = 0;
                for (JsonNode e : t.get("history")) {
                    queued += e.get("stage").asText().equals("QUEUED") ? 1 : 0;
                }
                assertEquals(1, queued, "queued once: " + t);
                byBatch.computeIfAbsent(t.get("target").get("batch").asInt(), b -> new ArrayList<>()).add(t.get("history"));
            }
            assertEquals(List.of(1, 2, 2, 1), List.of(byBatch.get(0).size(), byBatch.get(1).size(),
                    byBatch.get(2).size(), byBatch.get(3).size()));
            for (int b = 0; b < 3; b++) {
                Instant lastDone = byBatch.get(b).stream().map(h -> at(h, "SUCCEEDED")).max(Instant::compareTo).orElseThrow();
                Instant nextStart = byBatch.get(b + 1).stream().map(h -> at(h, "QUEUED")).min(Instant::compareTo)
                        .orElseThrow();
                assertTrue(!nextStart.isBefore(lastDone), "batch " + (b + 1) + " started at " + nextStart
                        + " before batch " + b + " ended at " + lastDone);
            }
            for (Agent a : fleet) {
                assertEquals("1.1.0", InstalledVersions.running(a.stateDir().path(), "?"));
            }

            JsonNode[] progress = new JsonNode[1];
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                progress[0] = BackupFixture.get(survivor, "/api/v1/backups/collections/" + collection).get("progress");
                assertTrue(progress[0].get("finished").asBoolean(), progress[0] + " "
                        + BackupFixture.get(survivor, "/api/v1/backups/tasks?active=true").get("items"));
            });
            System.out.printf("measure scheduled-work: collection finished after kill -9: %s%n", progress[0]);
            assertEquals(SENSORS, progress[0].get("done").asInt(), progress[0].toString());
            assertEquals(0, progress[0].get("failed").asInt(), progress[0].toString());
            List<String> uploads = new ArrayList<>();
            for (String id : ids) {
                List<JsonNode> ofCollection = new ArrayList<>();
                BackupFixture.get(survivor, "/api/v1/backups/tasks?size=1000&sensorId=" + id).get("items").forEach(t -> {
                    if (collection.equals(t.get("collectionId").asText())) {
                        ofCollection.add(t);
                    }
                });
                assertEquals(1, ofCollection.size(), "one task per sensor: " + ofCollection);
                assertEquals("DONE", ofCollection.getFirst().get("state").asText(), ofCollection.toString());
                JsonNode stored = BackupFixture.get(survivor, "/api/v1/backups?sensorId=" + id);
                assertEquals(1, stored.get("total").asInt(), "exactly one backup, none lost: " + stored);
                assertEquals("STORED", stored.get("items").get(0).get("state").asText(), stored.toString());
                uploads.add(stored.get("items").get(0).get("uploadAttempts").asInt() + " attempt(s), resumed from "
                        + stored.get("items").get(0).get("resumedFromBytes"));
            }
            System.out.printf("measure scheduled-work: uploads %s%n", uploads);
            assertTrue(cluster.console(1).alive() && cluster.console(2).alive());
        } finally {
            stops.forEach(Runnable::run);
            BackupFixture.deleteTree(storage);
            BackupFixture.deleteTree(packages);
        }
    }

    /** Each instance its own agent-plane port, advertising itself first, then the others (as ConsoleInstanceLossIT). */
    private static Map<String, String> withAgentPlane(Map<String, String> env, List<Integer> agentPorts, int instance) {
        Map<String, String> own = new HashMap<>(env);
        own.put("SENSORFLEET_AGENT_PLANE_PORT", String.valueOf(agentPorts.get(instance)));
        List<String> advertised = new ArrayList<>();
        for (int i = 0; i < agentPorts.size(); i++) {
            advertised.add("127.0.0.1:" + agentPorts.get((instance + i) % agentPorts.size()));
        }
        own.put("SENSORFLEET_AGENT_PLANE_ADVERTISED_ADDRESSES", String.join(",", advertised));
        return own;
    }

    private static Instant at(JsonNode history, String stage) {
        for (JsonNode e : history) {
            if (e.get("stage").asText().equals(stage)) {
                return Instant.parse(e.get("at").asText());
            }
        }
        throw new AssertionError("no " + stage + " in " + history);
    }
}
