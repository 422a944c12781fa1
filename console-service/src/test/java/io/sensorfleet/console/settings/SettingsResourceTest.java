package io.sensorfleet.console.settings;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sensorfleet.console.agentplane.AgentPlaneServer;
import io.sensorfleet.console.certificates.InternalCa;
import io.sensorfleet.console.sensors.HeartbeatBuffer;
import io.sensorfleet.console.support.Api;
import io.sensorfleet.console.support.PostgresTestResource;
import io.sensorfleet.console.support.TestSensor;
import io.sensorfleet.protocol.v1.enrollment.ConnectionString;
import io.sensorfleet.protocol.v1.Problem;
import io.sensorfleet.protocol.v1.settings.SettingsAck;
import io.sensorfleet.protocol.v1.settings.SettingsPush;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class SettingsResourceTest {
    @Inject
    AgentPlaneServer agentPlane;
    @Inject
    InternalCa ca;
    @Inject
    SettingsAcks acks;
    @Inject
    HeartbeatBuffer heartbeats;
    @Inject
    SettingsPushes pushes;
    @Inject
    SettingsService service;
    @Inject
    SettingsWaiters waiters;

    private TestSensor sensorIn(String zoneId) {
        TestSensor s = new TestSensor("https://127.0.0.1:" + agentPlane.port(), ca.certificatePem());
        String cs = Api.connectionString(zoneId == null ? Map.of() : Map.of("zoneId", zoneId));
        assertEquals(200, s.enroll(ConnectionString.parse(cs).token()).statusCode());
        return s;
    }

    private static Map<String, Object> change(Object... kv) {
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            values.put((String) kv[i], kv[i + 1]);
        }
        return Map.of("values", values);
    }

    private static long revisions() {
        return Api.asAdmin().get("/api/v1/settings/revisions?size=1").then().extract().jsonPath().getLong("total");
    }

    @Test
    void sensorOverrideWinsOverTheZoneAndRemovingItFallsBack() {
        String zone = Api.zone("tz");
        TestSensor s = sensorIn(zone);
        String id = s.identity().sensorId();
        Api.asAdmin().body(change("time.timeZone", "Europe/Berlin")).patch("/api/v1/settings/zones/" + zone)
                .then().statusCode(200).body("sensorsAffected", equalTo(1));
        Api.asAdmin().body(change("time.timeZone", "Asia/Tokyo")).patch("/api/v1/settings/sensors/" + id)
                .then().statusCode(200);
        Api.asAdmin().get("/api/v1/sensors/" + id + "/settings").then().statusCode(200)
                .body("keys.find { it.key == 'time.timeZone' }.desired", equalTo("Asia/Tokyo"))
                .body("keys.find { it.key == 'time.timeZone' }.source", equalTo("SENSOR"));
        Map<String, Object> remove = new HashMap<>();
        remove.put("time.timeZone", null);
        Api.asAdmin().body(Map.of("values", remove)).patch("/api/v1/settings/sensors/" + id).then().statusCode(200);
        Api.asAdmin().get("/api/v1/sensors/" + id + "/settings").then()
                .body("keys.find { it.key == 'time.timeZone' }.desired", equalTo("Europe/Berlin"))
                .body("keys.find { it.key == 'time.timeZone' }.source", equalTo("ZONE"))
                .body("keys.find { it.key == 'time.dateFormat' }.source", equalTo("DEFAULT"));
    }

    static Stream<Object[]> badValues() {
        return Stream.of(
                new Object[]{"network.subnetMask", "255.0.255.0", "contiguous"},
                new Object[]{"network.defaultGateway", "10.0.0.300", "IPv4 or IPv6"},
                new Object[]{"network.dnsServers", List.of("8.8.8.8", "nope"), "1 to 3 IP addresses"},
                new Object[]{"time.timeZone", "Atlantis/Capital", "IANA"},
                new Object[]{"time.dateFormat", "yyyy-MM-dd", "one of"},
                new Object[]{"system.processingThreads", 65, "from 1 to 64"},
                new Object[]{"system.noSuchProperty", 1, "unknown setting"},
                new Object[]{"network.hostname", "evil\r\nSet-Cookie: x", "RFC 1123"},
                new Object[]{"network.ipAddress", "10.0.0.5", "SENSOR scope only"},
                new Object[]{"backup.retention", 12, "from 1 to 9"});
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("badValues")
    void badValueIsRefusedNamingTheFieldAndNothingIsSaved(String key, Object value, String rule) {
        String zone = Api.zone("bad");
        long before = revisions();
        Map<String, Object> body = new HashMap<>(change(key, value));
        body.put("confirm", true);
        Api.asAdmin().body(body).patch("/api/v1/settings/zones/" + zone).then().statusCode(400)
                .contentType(Problem.MEDIA_TYPE).body("detail", containsString(key)).body("detail", containsString(rule));
        assertEquals(before, revisions());
        Api.asAdmin().get("/api/v1/settings/zones/" + zone).then().body("values.size()", equalTo(0));
    }

    @Test
    void gatewayOutsideTheSubnetOfASensorInTheZoneIsRefused() {
        String zone = Api.zone("net");
        String id = sensorIn(zone).identity().sensorId();
        Api.asAdmin().body(change("network.ipAddress", "192.168.10.20", "network.subnetMask", "24"))
                .patch("/api/v1/settings/sensors/" + id).then().statusCode(200);
        Api.asAdmin().body(change("network.defaultGateway", "192.168.11.1")).patch("/api/v1/settings/zones/" + zone)
                .then().statusCode(400).body("detail", containsString("network.defaultGateway"))
                .body("detail", containsString(id));
        Api.asAdmin().body(change("network.defaultGateway", "192.168.10.1")).patch("/api/v1/settings/zones/" + zone)
                .then().statusCode(200);
    }

    @Test
    void systemPropertiesNeedAnExplicitConfirmation() {
        String zone = Api.zone("sys");
        Api.asAdmin().body(change("system.captureBufferMb", 1024)).patch("/api/v1/settings/zones/" + zone)
                .then().statusCode(409).body("type", equalTo(Problem.TYPE_PREFIX + "confirmation-required"))
                .body("detail", containsString("system.captureBufferMb"));
        Map<String, Object> confirmed = new HashMap<>(change("system.captureBufferMb", 1024));
        confirmed.put("confirm", true);
        Api.asAdmin().body(confirmed).patch("/api/v1/settings/zones/" + zone).then().statusCode(200);
        Api.asAdmin().get("/api/v1/settings/zones/" + zone).then().body("values.'system.captureBufferMb'", equalTo(1024));
    }

    @Test
    void longPollAnswersAChangeAtOnceAndTheAckMakesTheSensorSynced() throws Exception {
        String zone = Api.zone("push");
        TestSensor s = sensorIn(zone);
        String id = s.identity().sensorId();
        HttpResponse<String> first = s.get("/agent/v1/settings?known=-1&waitSeconds=5");
        assertEquals(200, first.statusCode(), first.body());
        long known = TestSensor.read(first.body(), SettingsPush.class).revision();

        CompletableFuture<HttpResponse<String>> waiting = CompletableFuture.supplyAsync(
                () -> s.get("/agent/v1/settings?known=" + known + "&waitSeconds=30"));
        Thread.sleep(300); // let the poll register; the change below must wake it, not the 30 s timeout
        long start = System.nanoTime();
        long revision = Api.asAdmin().body(change("time.timeZone", "America/New_York", "network.proxy", "proxy:3128",
                        "network.proxyPassword", "s3cret")).patch("/api/v1/settings/zones/" + zone)
                .then().statusCode(200).extract().jsonPath().getLong("revision");
        HttpResponse<String> pushed = waiting.get();
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertEquals(200, pushed.statusCode(), pushed.body());
        SettingsPush push = TestSensor.read(pushed.body(), SettingsPush.class);
        assertEquals(revision, push.revision());
        assertEquals("America/New_York", push.values().get("time.timeZone"));
        assertEquals("s3cret", push.values().get("network.proxyPassword"), "the sensor needs the secret itself");
        assertTrue(ms < 10_000, "pushed after " + ms + " ms");

        Api.asAdmin().get("/api/v1/sensors/" + id).then().body("connectivity", equalTo("OUT_OF_SYNC"));
        Api.asAdmin().get("/api/v1/settings/zones/" + zone).then().body("values.'network.proxyPassword'", equalTo("(set)"));

        assertEquals(204, s.postMtls("/agent/v1/settings/ack",
                new SettingsAck(revision, true, null, push.values(), null)).statusCode());
        acks.flush();
        Api.asAdmin().get("/api/v1/sensors/" + id).then().body("connectivity", equalTo("SYNCED"))
                .body("appliedSettingsRevision", equalTo((int) revision));
        Api.asAdmin().get("/api/v1/sensors/" + id + "/settings").then().body("differences.size()", equalTo(0))
                .body("keys.find { it.key == 'network.proxyPassword' }.applied", org.hamcrest.Matchers.nullValue());
    }

    /**
     * A push resolves every waiting sensor in one batch: sensors of one zone without values of their
     * own share one result (and one push, encoded once), a sensor with its own values gets its own.
     */
    @Test
    void sensorsOfAZoneShareOneResolvedPushAndOneWithItsOwnValuesGetsItsOwn() {
        String zone = Api.zone("shared");
        java.util.UUID a = java.util.UUID.fromString(sensorIn(zone).identity().sensorId());
        java.util.UUID b = java.util.UUID.fromString(sensorIn(zone).identity().sensorId());
        java.util.UUID own = java.util.UUID.fromString(sensorIn(zone).identity().sensorId());
        Api.asAdmin().body(change("time.timeZone", "Europe/Paris")).patch("/api/v1/settings/zones/" + zone).then().statusCode(200);
        Api.asAdmin().body(change("time.timeZone", "Asia/Tokyo")).patch("/api/v1/settings/sensors/" + own).then().statusCode(200);

        Map<java.util.UUID, SettingsPush> pushed = pushes.resolve(Map.of(a, 5L, b, 5L, own, 5L));
        assertEquals("Europe/Paris", pushed.get(a).values().get("time.timeZone"));
        assertEquals("Europe/Paris", pushed.get(b).values().get("time.timeZone"));
        assertEquals("Asia/Tokyo", pushed.get(own).values().get("time.timeZone"));
        org.junit.jupiter.api.Assertions.assertSame(pushed.get(a), pushed.get(b));
        assertEquals(5L, pushed.get(own).revision());
        assertEquals(Map.of(a, 6L), Map.of(a, pushes.resolve(Map.of(a, 6L)).get(a).revision()),
                "a sensor behind by another revision gets that one");
    }

    /**
     * An instance reads only the sensors of revisions newer than the last it saw, so revisions must
     * commit in the order of their ids: a change waits for one still open on any instance. Without
     * that, a later revision (another zone) committed first would make the earlier one look seen.
     */
    @Test
    void aChangeWaitsForOneStillOpenSoRevisionsCommitInOrderAndBothReachTheirSensors() throws Exception {
        String zoneA = Api.zone("order-a");
        String zoneB = Api.zone("order-b");
        java.util.UUID a = java.util.UUID.fromString(sensorIn(zoneA).identity().sensorId());
        java.util.UUID b = java.util.UUID.fromString(sensorIn(zoneB).identity().sensorId());
        java.util.concurrent.CountDownLatch firstApplied = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch commitFirst = new java.util.concurrent.CountDownLatch(1);
        // Threads of their own: the common pool may have a single one on a two-core machine.
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(2);
        CompletableFuture<SettingsService.Revision> first = CompletableFuture.supplyAsync(() -> inRequest(() ->
                io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> {
                    SettingsService.Revision r = service.change(SettingsScope.ZONE, java.util.UUID.fromString(zoneA),
                            Map.of("time.timeZone", "Europe/Oslo"), false, "test");
                    firstApplied.countDown();
                    commitFirst.await();
                    return r;
                })), threads);
        assertTrue(firstApplied.await(30, java.util.concurrent.TimeUnit.SECONDS));
        CompletableFuture<SettingsService.Revision> second = CompletableFuture.supplyAsync(() -> inRequest(() ->
                io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> service.change(SettingsScope.ZONE,
                        java.util.UUID.fromString(zoneB), Map.of("time.timeZone", "Europe/Rome"), false, "test"))), threads);
        org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.TimeoutException.class,
                () -> second.get(2, java.util.concurrent.TimeUnit.SECONDS), "the second change waits for the first");
        commitFirst.countDown();
        long revA = first.get(30, java.util.concurrent.TimeUnit.SECONDS).revision();
        long revB = second.get(30, java.util.concurrent.TimeUnit.SECONDS).revision();
        threads.shutdown();
        assertTrue(revA < revB, revA + " before " + revB);

        waiters.refresh();
        assertTrue(waiters.pending(a, revA - 1) && !waiters.pending(a, revA), "sensor of zone A is due revision " + revA);
        assertTrue(waiters.pending(b, revA) && !waiters.pending(b, revB), "sensor of zone B is due revision " + revB);
    }

    private static <T> T inRequest(java.util.concurrent.Callable<T> work) {
        var request = io.quarkus.arc.Arc.container().requestContext();
        request.activate();
        try {
            return work.call();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            request.terminate();
        }
    }

    @Test
    void failedApplyAndLocalDriftLeaveTheSensorOutOfSyncWithTheReason() {
        TestSensor s = sensorIn(Api.zone("fail"));
        String id = s.identity().sensorId();
        long revision = Api.asAdmin().body(change("backup.dailyTime", "04:30")).patch("/api/v1/settings/sensors/" + id)
                .then().statusCode(200).extract().jsonPath().getLong("revision");
        s.postMtls("/agent/v1/settings/ack", new SettingsAck(revision, false, "cannot write config/backup.conf", null, null));
        acks.flush();
        Api.asAdmin().get("/api/v1/sensors/" + id).then().body("connectivity", equalTo("OUT_OF_SYNC"));
        Api.asAdmin().get("/api/v1/sensors/" + id + "/settings").then().body("error", equalTo("cannot write config/backup.conf"));

        s.postMtls("/agent/v1/settings/ack", new SettingsAck(revision, true, null, Map.of("backup.dailyTime", "05:00"),
                List.of("backup.dailyTime")));
        acks.flush();
        s.heartbeat(java.time.Instant.now());
        heartbeats.flush();
        Api.asAdmin().get("/api/v1/sensors/" + id).then().body("connectivity", equalTo("OUT_OF_SYNC"));
        Api.asAdmin().get("/api/v1/sensors/" + id + "/settings").then().body("drift", hasItem("backup.dailyTime"))
                .body("differences", hasItem("backup.dailyTime"));
    }

    @Test
    void aRevertedNetworkChangeIsNotifiedOnceNamingTheKeyAndReasonHoweverOftenTheSensorRepeatsIt() {
        TestSensor s = sensorIn(Api.zone("revert"));
        String id = s.identity().sensorId();
        long revision = Api.asAdmin().body(change("network.ipAddress", "192.0.2.99", "network.subnetMask", "24"))
                .patch("/api/v1/settings/sensors/" + id).then().statusCode(200).extract().jsonPath().getLong("revision");
        String reason = "network.ipAddress: reverted: console unreachable at 198.51.100.7 within 120 s";
        for (int i = 0; i < 3; i++) {
            s.postMtls("/agent/v1/settings/ack", new SettingsAck(revision, false, reason, null, null));
            acks.flush();
        }

        Api.asAdmin().get("/api/v1/sensors/" + id).then().body("connectivity", equalTo("OUT_OF_SYNC"));
        Api.asAdmin().get("/api/v1/sensors/" + id + "/settings").then().body("error", equalTo(reason));
        Api.asAdmin().get("/api/v1/notifications?type=SETTINGS_APPLY_FAILED&sensorId=" + id).then().statusCode(200)
                .body("items.size()", equalTo(1))
                .body("items[0].message", equalTo("settings revision " + revision + " not applied: " + reason));
    }

    @Test
    void bulkByFilterAndDuplicateSetSensorScopeValues() {
        String zone = Api.zone("bulk");
        String a = sensorIn(zone).identity().sensorId();
        String b = sensorIn(zone).identity().sensorId();
        String c = sensorIn(null).identity().sensorId();
        Api.asAdmin().body(Map.of("filter", Map.of("zoneId", zone), "values", Map.of("backup.retention", 5)))
                .post("/api/v1/settings/bulk").then().statusCode(200).body("sensorsAffected", equalTo(2));
        Api.asAdmin().body(change("network.ipAddress", "10.9.9.9", "time.timeZone", "Europe/Paris"))
                .patch("/api/v1/settings/sensors/" + a).then().statusCode(200);
        Api.asAdmin().body(Map.of("sensorIds", List.of(c))).post("/api/v1/sensors/" + a + "/settings/duplicate")
                .then().statusCode(200).body("sensorsAffected", equalTo(1));
        Api.asAdmin().get("/api/v1/settings/sensors/" + c).then().body("values.'time.timeZone'", equalTo("Europe/Paris"))
                .body("values.'backup.retention'", equalTo(5)).body("values.'network.ipAddress'", org.hamcrest.Matchers.nullValue());
        Api.asAdmin().get("/api/v1/settings/sensors/" + b).then().body("values.'backup.retention'", equalTo(5));
    }

    @Test
    void catalogueListsEveryCategory() {
        Api.as("READ_ONLY").get("/api/v1/settings/catalog").then().statusCode(200)
                .body("key", hasItem("network.ipAddress")).body("key", hasItem("time.dateFormat"))
                .body("key", hasItem("backup.dailyTime")).body("key", hasItem("certificates.validation"))
                .body("find { it.key == 'system.logLevel' }.needsConfirm", equalTo(true));
    }
}
