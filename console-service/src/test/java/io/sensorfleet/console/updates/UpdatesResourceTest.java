package io.sensorfleet.console.updates;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.sensorfleet.updatetools.PackageBuilder;
import io.sensorfleet.console.agentplane.AgentPlaneServer;
import io.sensorfleet.console.certificates.InternalCa;
import io.sensorfleet.console.sensors.HeartbeatBuffer;
import io.sensorfleet.console.support.Api;
import io.sensorfleet.console.support.PostgresTestResource;
import io.sensorfleet.console.support.TestClock;
import io.sensorfleet.console.support.TestSensor;
import io.sensorfleet.console.support.UpdatePackages;
import io.sensorfleet.protocol.v1.AgentPaths;
import io.sensorfleet.protocol.v1.enrollment.ConnectionString;
import io.sensorfleet.protocol.v1.update.UpdateStage;
import io.sensorfleet.protocol.v1.update.UpdateTask;
import io.sensorfleet.lib.packages.PackageArchive;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class UpdatesResourceTest {
    private static final AtomicInteger SERIES = new AtomicInteger(1);
    /** The pom's project.version, handed to the tests by the build: the console's own version is the build's. */
    private static final String BUILD_VERSION = System.getProperty("sensorfleet.build.version");

    @Inject
    AgentPlaneServer agentPlane;
    @Inject
    InternalCa ca;
    @Inject
    HeartbeatBuffer heartbeats;
    @Inject
    RolloutDriver driver;
    @Inject
    UpdateTasks tasks;
    @Inject
    TestClock clock;

    private final Path dir = tempDir();

    @org.junit.jupiter.api.AfterEach
    void resetClock() {
        clock.reset();
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("updates-test-");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A fresh pair of versions per test: sensors run "from", packages install "to" (both below the console's version, the build's). */
    private static String[] versions() {
        int n = SERIES.getAndIncrement();
        return new String[] {"20." + n + ".0", "20." + n + ".1"};
    }

    private UpdateSensorStub sensor(String version) {
        TestSensor s = new TestSensor("https://127.0.0.1:" + agentPlane.port(), ca.certificatePem());
        assertEquals(200, s.enroll(ConnectionString.parse(Api.connectionString(Map.of())).token()).statusCode());
        UpdateSensorStub stub = new UpdateSensorStub(s);
        stub.reportVersion(version);
        heartbeats.flush();
        return stub;
    }

    private static ValidatableResponse upload(byte[] pkg) {
        return Api.asAdmin().contentType("application/octet-stream").body(pkg).post("/api/v1/updates/packages").then();
    }

    private static String uploaded(Path pkg) throws Exception {
        return upload(Files.readAllBytes(pkg)).statusCode(201).extract().path("id");
    }

    private static JsonPath rollout(String id) {
        return Api.asAdmin().get("/api/v1/updates/rollouts/" + id).then().statusCode(200).extract().jsonPath();
    }

    private static String stageOf(String rollout, UpdateSensorStub s) {
        return Api.asAdmin().get("/api/v1/updates/rollouts/" + rollout + "/sensors/" + s.id()).then().statusCode(200)
                .extract().path("target.stage");
    }

    private static String start(String packageId, List<UpdateSensorStub> sensors, int canary, int batch) {
        return Api.asAdmin().body(Map.of("packageId", packageId, "sensorIds", sensors.stream().map(UpdateSensorStub::id).toList(),
                        "canarySize", canary, "batchSize", batch))
                .post("/api/v1/updates/rollouts").then().statusCode(201).extract().path("id");
    }

    @Test
    void eachKindOfBadPackageIsRefusedWithItsOwnProblemAndNothingIsStored() throws Exception {
        String[] v = versions();
        byte[] good = Files.readAllBytes(UpdatePackages.build(dir, v[1], List.of(v[0]), "exit 0"));
        int before = Api.asAdmin().get("/api/v1/updates/packages").then().statusCode(200).extract().jsonPath().getList("$").size();

        var unknownKey = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate();
        byte[] foreign = Files.readAllBytes(UpdatePackages.build(dir, new PackageBuilder.Spec(v[1], List.of(v[0]), null,
                false, 10), "exit 0", unknownKey));
        upload(foreign).statusCode(422).contentType("application/problem+json")
                .body("type", equalTo("urn:sensorfleet:problem:package-unknown-key"));

        PackageArchive.Contents c = PackageArchive.read(new ByteArrayInputStream(good), null);
        ByteArrayOutputStream unsigned = new ByteArrayOutputStream();
        byte[] payload = payloadOf(good);
        PackageArchive.write(unsigned, c.manifest(), null, new ByteArrayInputStream(payload), payload.length);
        upload(unsigned.toByteArray()).statusCode(422).body("type", equalTo("urn:sensorfleet:problem:package-unsigned"));

        byte[] tamperedPayload = payload.clone();
        tamperedPayload[600] ^= 1;
        ByteArrayOutputStream wrongDigest = new ByteArrayOutputStream();
        PackageArchive.write(wrongDigest, c.manifest(), c.signature(), new ByteArrayInputStream(tamperedPayload), payload.length);
        upload(wrongDigest.toByteArray()).statusCode(422)
                .body("type", equalTo("urn:sensorfleet:problem:package-digest-mismatch"));

        byte[] manifest = c.manifest().clone();
        manifest[manifest.length - 3] ^= 1;
        ByteArrayOutputStream badSig = new ByteArrayOutputStream();
        PackageArchive.write(badSig, manifest, c.signature(), new ByteArrayInputStream(payload), payload.length);
        upload(badSig.toByteArray()).statusCode(422).body("type", equalTo("urn:sensorfleet:problem:package-bad-signature"));

        upload(Arrays.copyOf(good, good.length - 2000)).statusCode(400)
                .body("type", equalTo("urn:sensorfleet:problem:package-truncated"))
                .body("detail", containsString("nothing was stored"));
        upload("definitely not a tar archive".repeat(40).getBytes()).statusCode(422)
                .body("type", equalTo("urn:sensorfleet:problem:package-malformed"));

        assertEquals(before, Api.asAdmin().get("/api/v1/updates/packages").then().extract().jsonPath().getList("$").size());
        upload(good).statusCode(201).body("version", equalTo(v[1])).body("manifest.appliesTo[0]", equalTo(v[0]));
        upload(good).statusCode(409).body("type", equalTo("urn:sensorfleet:problem:duplicate-version"));
    }

    private static byte[] payloadOf(byte[] pkg) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PackageArchive.read(new ByteArrayInputStream(pkg), out);
        return out.toByteArray();
    }

    @Test
    void badRolloutRequestsAndBadProgressReportsAreRefusedWithoutChange() throws Exception {
        String[] v = versions();
        UpdateSensorStub s = sensor(v[0]);
        String pkg = uploaded(UpdatePackages.build(dir, v[1], List.of(v[0]), "exit 0"));
        long before = Api.asAdmin().get("/api/v1/updates/rollouts").then().extract().jsonPath().getLong("total");
        Api.asAdmin().body(Map.of("packageId", pkg, "sensorIds", List.of(s.id()), "canarySize", -1))
                .post("/api/v1/updates/rollouts").then().statusCode(400).body("detail", containsString("canarySize"));
        Api.asAdmin().body(Map.of("packageId", pkg, "sensorIds", List.of(s.id()), "all", true))
                .post("/api/v1/updates/rollouts").then().statusCode(400).body("detail", containsString("exactly one"));
        Api.asAdmin().body(Map.of("packageId", java.util.UUID.randomUUID().toString(), "sensorIds", List.of(s.id())))
                .post("/api/v1/updates/rollouts").then().statusCode(404);
        Api.asAdmin().body(Map.of("packageId", pkg, "sensorIds", List.of(java.util.UUID.randomUUID().toString())))
                .post("/api/v1/updates/rollouts").then().statusCode(400).body("detail", containsString("do not exist"));
        assertEquals(before, Api.asAdmin().get("/api/v1/updates/rollouts").then().extract().jsonPath().getLong("total"));

        String rollout = start(pkg, List.of(s), 0, 1);
        driver.advanceAll();
        UpdateTask t = s.task();
        var bad = new io.sensorfleet.protocol.v1.update.UpdateProgress(t.taskId(), UpdateStage.DOWNLOADING, 150, null, null, null);
        assertEquals(400, s.sensor.postMtls(AgentPaths.UPDATE_PROGRESS, bad).statusCode());
        assertEquals(400, s.report(t, UpdateStage.FAILED, null, null, null).statusCode(), "a failure needs its reason");
        assertEquals(404, s.sensor.postMtls(AgentPaths.UPDATE_PROGRESS, new io.sensorfleet.protocol.v1.update.UpdateProgress(
                java.util.UUID.randomUUID(), UpdateStage.DOWNLOADING, 1, null, null, null)).statusCode());
        assertEquals("QUEUED", stageOf(rollout, s));
    }

    @Test
    void aPackageLargerThanOtherBodiesStreamsInWhileTheLimitsHold() throws Exception {
        String[] v = versions();
        Path big = UpdatePackages.build(dir, new PackageBuilder.Spec(v[1], List.of(v[0]), null, false, 10), "exit 0",
                UpdatePackages.devTestKey(), 1_500_000);
        upload(Files.readAllBytes(big)).statusCode(201).body("sizeBytes", org.hamcrest.Matchers.greaterThan(1_500_000));
        upload(new byte[3_500_000]).statusCode(413).body("type", equalTo("urn:sensorfleet:problem:package-too-large"));
        // Every other operator request keeps its 1 MiB limit.
        Api.asAdmin().body("{\"name\":\"" + "x".repeat(1_200_000) + "\"}").post("/api/v1/zones").then().statusCode(413);
    }

    @Test
    void aVersionNewerThanTheConsoleIsRefused() throws Exception {
        String newer = (Integer.parseInt(BUILD_VERSION.split("\\.")[0]) + 1) + ".0.0";
        Path pkg = UpdatePackages.build(dir, newer, List.of("22.1.x"), "exit 0");
        upload(Files.readAllBytes(pkg)).statusCode(422)
                .body("type", equalTo("urn:sensorfleet:problem:version-newer-than-console"))
                .body("detail", containsString(BUILD_VERSION));
    }

    @Test
    void onlyAnAdminMayUploadOrStartRollouts() throws Exception {
        String[] v = versions();
        byte[] pkg = Files.readAllBytes(UpdatePackages.build(dir, v[1], List.of(v[0]), "exit 0"));
        for (String role : List.of("READ_ONLY", "SECURITY_ANALYST")) {
            Api.as(role).contentType("application/octet-stream").body(pkg).post("/api/v1/updates/packages")
                    .then().statusCode(403);
            Api.as(role).get("/api/v1/updates/packages").then().statusCode(200);
            Api.as(role).get("/api/v1/updates/versions").then().statusCode(200).body("consoleVersion", equalTo(BUILD_VERSION));
        }
    }

    @Test
    void a22PackageIsRefusedForASensorOn311NamingTheHopThrough1055() throws Exception {
        UpdateSensorStub legacy = sensor("3.1.1");
        UpdateSensorStub current = sensor("10.5.5");
        uploaded(UpdatePackages.build(dir, "10.5.5", List.of("3.1.1", "3.1.x"), "exit 0"));
        String v22 = uploaded(UpdatePackages.build(dir, "22.1.3", List.of("10.5.x"), "exit 0"));
        String rollout = start(v22, List.of(legacy, current), 1, 5);

        JsonPath legacyView = Api.asAdmin().get("/api/v1/updates/rollouts/" + rollout + "/sensors/" + legacy.id())
                .then().statusCode(200).extract().jsonPath();
        assertEquals("REFUSED", legacyView.getString("target.stage"));
        assertTrue(legacyView.getString("target.reason").contains("first update to 10.5.5"),
                legacyView.getString("target.reason"));
        assertEquals("WAITING", stageOf(rollout, current));
        driver.advanceAll();
        UpdateTask task = current.task();
        assertEquals("22.1.3", task.version());
        assertTrue(legacy.poll(1).isEmpty(), "a refused sensor gets nothing");

        // The package downloads resumably, and only by a sensor whose update names it.
        HttpResponse<byte[]> rest = current.sensor.getBytes(AgentPaths.updatePackage(task.packageId()),
                Map.of("Range", "bytes=100-"));
        assertEquals(206, rest.statusCode());
        assertEquals(task.size() - 100, rest.body().length);
        assertEquals(404, legacy.sensor.getBytes(AgentPaths.updatePackage(task.packageId()), Map.of()).statusCode());
        Api.as("READ_ONLY").get("/api/v1/updates/sensors/" + legacy.id()).then().statusCode(200)
                .body("[0].version", equalTo("22.1.3")).body("[0].update.stage", equalTo("REFUSED"));
    }

    @Test
    void canaryFirstThenBatchesAFailureHaltsBeforeTheNextBatchAndRetryGoesOn() throws Exception {
        String[] v = versions();
        List<UpdateSensorStub> sensors = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sensors.add(sensor(v[0]));
        }
        String pkg = uploaded(UpdatePackages.build(dir, v[1], List.of(v[0]), "exit 0"));
        String rollout = start(pkg, sensors, 1, 2);
        assertEquals(3, rollout(rollout).getInt("batches"));
        // Inventory order (name, then id) decides the batches.
        List<UpdateSensorStub> ordered = sensors.stream().sorted(java.util.Comparator.comparing(UpdateSensorStub::name)
                .thenComparing(UpdateSensorStub::id)).toList();

        assertEquals(1, driver.advanceAll(), "only the canary starts");
        assertEquals(0, driver.advanceAll(), "a batch starts once");
        UpdateTask canary = ordered.get(0).task();
        assertTrue(ordered.get(1).poll(1).isEmpty());
        ordered.get(0).succeed(canary);

        assertEquals(2, driver.advanceAll());
        UpdateTask a = ordered.get(1).task();
        UpdateTask b = ordered.get(2).task();
        ordered.get(1).succeed(a);
        ordered.get(2).report(b, UpdateStage.INSTALLING, null, null, null);
        assertEquals(204, ordered.get(2).report(b, UpdateStage.ROLLED_BACK, "the health check exited with 3; version "
                + v[0] + " restored", "db check: schema mismatch\n", v[0]).statusCode());

        assertEquals(0, driver.advanceAll(), "halted before the next batch");
        JsonPath halted = rollout(rollout);
        assertEquals("HALTED", halted.getString("state"));
        assertTrue(halted.getString("haltReason").contains(ordered.get(2).name()), halted.getString("haltReason"));
        assertEquals("db check: schema mismatch\n", Api.as("READ_ONLY")
                .get("/api/v1/updates/rollouts/" + rollout + "/sensors/" + ordered.get(2).id() + "/log")
                .then().statusCode(200).extract().asString());
        Api.asAdmin().get("/api/v1/notifications?type=UPDATE_FAILED&sensorId=" + ordered.get(2).id()).then()
                .statusCode(200).body("total", equalTo(1)).body("items[0].message", containsString("rolled back"));
        assertEquals("WAITING", stageOf(rollout, ordered.get(3)));

        Api.asAdmin().post("/api/v1/updates/rollouts/" + rollout + "/retry").then().statusCode(200).body("retried", equalTo(1));
        assertEquals(1, driver.advanceAll());
        ordered.get(2).succeed(ordered.get(2).task());
        assertEquals(2, driver.advanceAll(), "the last batch after the retried sensor succeeded");
        ordered.get(3).succeed(ordered.get(3).task());
        ordered.get(4).succeed(ordered.get(4).task());
        driver.advanceAll();
        assertEquals("SUCCEEDED", rollout(rollout).getString("state"));
        Api.asAdmin().get("/api/v1/updates/versions").then().statusCode(200)
                .body("versions.find { it.version == '" + v[1] + "' }.sensors", equalTo(5));
    }

    @Test
    void twoDriversAdvancingAtOnceStartTheCanaryOnce() throws Exception {
        String[] v = versions();
        List<UpdateSensorStub> sensors = List.of(sensor(v[0]), sensor(v[0]), sensor(v[0]));
        String rollout = start(uploaded(UpdatePackages.build(dir, v[1], List.of(v[0]), "exit 0")), sensors, 1, 2);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Integer>> runs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                runs.add(pool.submit(() -> driver.advanceAll()));
            }
            int queued = 0;
            for (var r : runs) {
                queued += r.get();
            }
            assertEquals(1, queued, "as with several console instances: the canary batch starts once");
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1L, rollout(rollout).getLong("stages.QUEUED"));
    }

    @Test
    void aPackageNeedingANewActivationFileMakesTheSensorWaitUntilItIsInstalled() throws Exception {
        String[] v = versions();
        UpdateSensorStub s = sensor(v[0]);
        String pkg = uploaded(UpdatePackages.build(dir, new PackageBuilder.Spec(v[1], List.of(v[0]), null, true, 10),
                "exit 0", UpdatePackages.devTestKey()));
        String rollout = start(pkg, List.of(s), 0, 1);
        assertEquals(0, driver.advanceAll());
        JsonPath blocked = Api.asAdmin().get("/api/v1/updates/rollouts/" + rollout + "/sensors/" + s.id()).then()
                .statusCode(200).extract().jsonPath();
        assertEquals("BLOCKED", blocked.getString("target.stage"));
        assertTrue(blocked.getString("target.reason").contains("new activation file"), blocked.getString("target.reason"));
        assertTrue(s.poll(1).isEmpty());

        String fileId = Api.asAdmin().body(Map.of("mode", "CONSOLE_CONNECTED")).post("/api/v1/sensors/" + s.id() + "/activation")
                .then().statusCode(201).extract().path("id");
        assertEquals(204, s.sensor.postMtls("/agent/v1/activation",
                new io.sensorfleet.protocol.v1.activation.ActivationInstalled(fileId)).statusCode());
        assertEquals(1, driver.advanceAll(), "the sensor continues once its new activation file is installed");
        assertEquals(v[1], s.task().version());
    }

    @Test
    void aSensorSilentInAStageFailsWithTheStageNamedAndPauseCancelWork() throws Exception {
        String[] v = versions();
        UpdateSensorStub s1 = sensor(v[0]);
        UpdateSensorStub s2 = sensor(v[0]);
        String pkg = uploaded(UpdatePackages.build(dir, v[1], List.of(v[0]), "exit 0"));
        String rollout = start(pkg, List.of(s1, s2), 0, 1);
        Api.asAdmin().post("/api/v1/updates/rollouts/" + rollout + "/pause").then().statusCode(200)
                .body("state", equalTo("PAUSED"));
        assertEquals(0, driver.advanceAll(), "a paused rollout starts nobody");
        Api.asAdmin().post("/api/v1/updates/rollouts/" + rollout + "/pause").then().statusCode(409)
                .body("type", equalTo("urn:sensorfleet:problem:rollout-state"));
        Api.asAdmin().post("/api/v1/updates/rollouts/" + rollout + "/resume").then().statusCode(200);
        assertEquals(1, driver.advanceAll());
        UpdateSensorStub first = (s1.name() + s1.id()).compareTo(s2.name() + s2.id()) < 0 ? s1 : s2;
        UpdateSensorStub second = first == s1 ? s2 : s1;
        UpdateTask t = first.task();
        first.report(t, UpdateStage.DOWNLOADING, null, null, null);

        clock.advance(Duration.ofMinutes(16));
        assertEquals(1, tasks.sweep());
        JsonPath view = Api.asAdmin().get("/api/v1/updates/rollouts/" + rollout + "/sensors/" + first.id())
                .then().statusCode(200).extract().jsonPath();
        assertEquals("FAILED", view.getString("target.stage"));
        assertTrue(view.getString("target.reason").startsWith("timed out in stage DOWNLOADING"), view.getString("target.reason"));
        assertEquals(409, first.report(t, UpdateStage.VERIFYING, null, null, null).statusCode(), "the sensor is told to stop");

        Api.asAdmin().post("/api/v1/updates/rollouts/" + rollout + "/cancel").then().statusCode(200)
                .body("state", equalTo("CANCELLED"));
        assertEquals("CANCELLED", stageOf(rollout, second));
        Api.asAdmin().delete("/api/v1/updates/packages/" + pkg).then().statusCode(204);
        Api.asAdmin().get("/api/v1/updates/packages/" + pkg).then().statusCode(404);
    }
}
