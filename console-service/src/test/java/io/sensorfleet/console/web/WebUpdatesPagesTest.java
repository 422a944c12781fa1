package io.sensorfleet.console.web;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sensorfleet.console.support.Api;
import io.sensorfleet.console.support.Browser;
import io.sensorfleet.console.support.PostgresTestResource;
import io.sensorfleet.console.support.TestFleet;
import io.sensorfleet.console.support.TestSensor;
import io.sensorfleet.console.support.UpdatePackages;
import io.sensorfleet.console.updates.RolloutDriver;
import io.sensorfleet.protocol.v1.AgentPaths;
import io.sensorfleet.protocol.v1.update.UpdateProgress;
import io.sensorfleet.protocol.v1.update.UpdateStage;
import io.sensorfleet.protocol.v1.update.UpdateTask;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The software updates pages: upload, rollout through the form, the rollout's sensors, and who may change what. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class WebUpdatesPagesTest {
    /** Versions above the test sensors' 1.0.0 and apart from the other update tests' ones. */
    private static final AtomicInteger PATCH = new AtomicInteger((int) (System.nanoTime() % 50_000) + 1);

    @Inject
    TestFleet fleet;
    @Inject
    RolloutDriver driver;

    private final Path dir = tempDir();

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("web-updates-test-");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Path pkg(String version) {
        return UpdatePackages.build(dir, version, List.of("1.0.0"), "exit 0");
    }

    private static String version() {
        return "1.0." + PATCH.getAndIncrement();
    }

    private static String packageId(String version) {
        return Api.asAdmin().get("/api/v1/updates/packages").then().statusCode(200).extract().jsonPath()
                .getString("find { it.version == '" + version + "' }.id");
    }

    private static long rolloutCount() {
        return Api.asAdmin().get("/api/v1/updates/rollouts").then().statusCode(200).extract().jsonPath().getLong("total");
    }

    private static String rolloutState(String id) {
        return Api.asAdmin().get("/api/v1/updates/rollouts/" + id).then().statusCode(200).extract().path("state");
    }

    @Test
    void adminUploadsAPackageStartsARolloutThroughTheFormAndFollowsItsSensors() throws Exception {
        TestSensor sensor = fleet.reporting();
        String sensorId = TestFleet.id(sensor).toString();
        String v = version();
        Path file = pkg(v);
        Browser admin = Browser.admin();

        admin.get().multiPart("_csrf", admin.csrf).multiPart("file", file.toFile(), "application/octet-stream")
                .post("/ui/updates/packages").then().statusCode(303);
        String listed = admin.get().get("/ui/updates").then().statusCode(200).extract().asString();
        assertTrue(listed.contains("<td>" + v + "</td>"), "the uploaded package is listed");
        assertTrue(listed.contains("action=\"/ui/updates/packages\""), "an admin gets the upload form");
        String pkgId = packageId(v);

        // The store's own refusals, shown on the page with the API's status.
        admin.get().multiPart("_csrf", admin.csrf).multiPart("file", file.toFile(), "application/octet-stream")
                .post("/ui/updates/packages").then().statusCode(409)
                .body(containsString("id=\"upload-error\""), containsString("already stored"));
        admin.get().multiPart("_csrf", admin.csrf).multiPart("file", sized("junk.pkg", "not a package".getBytes()),
                        "application/octet-stream")
                .post("/ui/updates/packages").then().statusCode(matchesPattern422or400())
                .body(containsString("id=\"upload-error\""), containsString("nothing was stored"));

        // The service validates the form; nothing is started by a refused one.
        long before = rolloutCount();
        admin.form().formParam("packageId", pkgId).formParam("target", "sensors").formParam("sensorIds", sensorId)
                .formParam("canarySize", "-1").post("/ui/updates/rollouts").then().statusCode(400)
                .body(containsString("canarySize"));
        admin.form().formParam("packageId", pkgId).formParam("target", "zone").post("/ui/updates/rollouts")
                .then().statusCode(400).body(containsString("zoneId"));
        assertEquals(before, rolloutCount());

        String location = admin.form().formParam("packageId", pkgId).formParam("target", "sensors")
                .formParam("sensorIds", sensorId).formParam("canarySize", "0").formParam("batchSize", "5")
                .formParam("maxParallel", "").formParam("failureThresholdPercent", "0")
                .post("/ui/updates/rollouts").then().statusCode(303).extract().header("Location");
        Matcher m = Pattern.compile("/ui/updates/rollouts/([0-9a-f-]{36})$").matcher(location);
        assertTrue(m.find(), location);
        String rollout = m.group(1);
        assertEquals(before + 1, rolloutCount());

        String page = admin.get().get("/ui/updates/rollouts/" + rollout).then().statusCode(200).extract().asString();
        assertTrue(page.contains(sensor.identity().sensorName()), "the rollout page lists its sensor");
        assertTrue(page.contains("hx-get=\"/ui/updates/rollouts/" + rollout + "/sensors?"), "a running rollout is polled");
        assertTrue(page.contains("action=\"/ui/updates/rollouts/" + rollout + "/pause\""));

        // The sensor downloads: the polled fragment shows its progress bar.
        driver.advanceAll();
        HttpResponse<String> polled = sensor.get(AgentPaths.UPDATE_TASKS + "?waitSeconds=10");
        assertEquals(200, polled.statusCode(), polled.body());
        UpdateTask task = TestSensor.read(polled.body(), UpdateTask.class);
        assertEquals(204, sensor.postMtls(AgentPaths.UPDATE_PROGRESS,
                new UpdateProgress(task.taskId(), UpdateStage.DOWNLOADING, 40, null, null, null)).statusCode());
        admin.get().header("HX-Request", "true").get("/ui/updates/rollouts/" + rollout + "/sensors?poll")
                .then().statusCode(200).body(containsString("id=\"rollout-sensors\""), containsString("DOWNLOADING"),
                        containsString("value=\"40\""), not(containsString("</html>")));

        admin.form().post("/ui/updates/rollouts/" + rollout + "/pause").then().statusCode(303);
        assertEquals("PAUSED", rolloutState(rollout));
        admin.form().post("/ui/updates/rollouts/" + rollout + "/pause").then().statusCode(409)
                .body(containsString("only a running rollout can be paused"));
        admin.form().post("/ui/updates/rollouts/" + rollout + "/resume").then().statusCode(303);
        assertEquals("RUNNING", rolloutState(rollout));

        // It fails: the reason and its log are one click away, and the failed sensor can be retried.
        assertEquals(204, sensor.postMtls(AgentPaths.UPDATE_PROGRESS, new UpdateProgress(task.taskId(),
                UpdateStage.FAILED, null, "health check failed", "healthcheck: exit 3", null)).statusCode());
        driver.advanceAll();
        String failed = admin.get().get("/ui/updates/rollouts/" + rollout + "/sensors?poll").then().statusCode(200)
                .extract().asString();
        assertTrue(failed.contains("health check failed"), failed);
        assertTrue(failed.contains("/ui/updates/rollouts/" + rollout + "/sensors/" + sensorId + "/log"), failed);
        assertTrue(failed.contains("/retry\""), "a failed sensor can be retried");
        admin.get().get("/ui/updates/rollouts/" + rollout + "/sensors/" + sensorId + "/log").then().statusCode(200)
                .body(containsString("healthcheck: exit 3"));
        admin.get().get("/ui/updates/rollouts/" + rollout + "?stage=FAILED").then().statusCode(200)
                .body(containsString(sensor.identity().sensorName()));
        admin.get().get("/ui/updates/rollouts/" + rollout + "?stage=SUCCEEDED").then().statusCode(200)
                .body(not(containsString("/ui/sensors/" + sensorId)), containsString("No sensor in stage SUCCEEDED"));
        admin.get().get("/ui/updates/rollouts/" + rollout + "?stage=%3Cscript%3E").then().statusCode(400);
        // The dashboard lists it among the failed updates, linking to its rollout.
        String dashboard = admin.get().get("/ui").then().statusCode(200).extract().asString();
        String failedUpdates = dashboard.substring(dashboard.indexOf("id=\"h-update-failures\""));
        assertTrue(failedUpdates.contains("href=\"/ui/updates/rollouts/" + rollout + "\""), failedUpdates);
        assertTrue(failedUpdates.contains("health check failed"), failedUpdates);
        admin.form().post("/ui/updates/rollouts/" + rollout + "/retry").then().statusCode(303);
        admin.get().get("/ui/updates/rollouts/" + rollout).then().body(containsString("1 failed sensor queued again"));
        admin.form().post("/ui/updates/rollouts/" + rollout + "/cancel").then().statusCode(303);
        assertEquals("CANCELLED", rolloutState(rollout));

        admin.form().post("/ui/updates/packages/" + pkgId + "/delete").then().statusCode(303);
        Api.asAdmin().get("/api/v1/updates/packages/" + pkgId).then().statusCode(404);
    }

    private static org.hamcrest.Matcher<Integer> matchesPattern422or400() {
        return org.hamcrest.Matchers.anyOf(org.hamcrest.Matchers.is(422), org.hamcrest.Matchers.is(400));
    }

    /** A package and a running rollout of it, made through the API. */
    private String[] packageAndRollout() throws Exception {
        TestSensor sensor = fleet.reporting();
        String v = version();
        String pkgId = Api.asAdmin().contentType("application/octet-stream").body(Files.readAllBytes(pkg(v)))
                .post("/api/v1/updates/packages").then().statusCode(201).extract().path("id");
        String rollout = Api.asAdmin().body(Map.of("packageId", pkgId, "sensorIds", List.of(TestFleet.id(sensor).toString()),
                "canarySize", 0)).post("/api/v1/updates/rollouts").then().statusCode(201).extract().path("id");
        return new String[] {pkgId, rollout, v};
    }

    @Test
    void aRolloutScheduledThroughTheFormShowsItsScheduleAndSoakAndABadWindowIsRefused() throws Exception {
        TestSensor sensor = fleet.reporting();
        String sensorId = TestFleet.id(sensor).toString();
        String v = version();
        Browser admin = Browser.admin();
        admin.get().multiPart("_csrf", admin.csrf).multiPart("file", pkg(v).toFile(), "application/octet-stream")
                .post("/ui/updates/packages").then().statusCode(303);
        String pkgId = packageId(v);

        long before = rolloutCount();
        admin.form().formParam("packageId", pkgId).formParam("target", "sensors").formParam("sensorIds", sensorId)
                .formParam("windowFrom", "01:00").formParam("windowTo", "05:00").formParam("windowZone", "Nowhere/City")
                .post("/ui/updates/rollouts").then().statusCode(400).body(containsString("unknown time zone"));
        admin.form().formParam("packageId", pkgId).formParam("target", "sensors").formParam("sensorIds", sensorId)
                .formParam("soakSeconds", "-3").post("/ui/updates/rollouts").then().statusCode(400)
                .body(containsString("soakSeconds"));
        assertEquals(before, rolloutCount());

        String location = admin.form().formParam("packageId", pkgId).formParam("target", "sensors")
                .formParam("sensorIds", sensorId).formParam("soakSeconds", "900").formParam("watchSeconds", "300")
                .formParam("startAt", java.time.Instant.now().plus(java.time.Duration.ofDays(30))
                        .truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString()).formParam("windowFrom", "")
                .formParam("windowTo", "").formParam("windowZone", "")
                .post("/ui/updates/rollouts").then().statusCode(303).extract().header("Location");
        String rollout = location.substring(location.lastIndexOf('/') + 1);
        assertEquals("SCHEDULED", rolloutState(rollout));
        String page = admin.get().get("/ui/updates/rollouts/" + rollout).then().statusCode(200).extract().asString();
        assertTrue(page.contains(">SCHEDULED<"), "the state is shown");
        assertTrue(page.contains("900 s") && page.contains("300 s"), "soak and watch window are shown");
        assertTrue(page.contains("id=\"rollout-schedule\">not before"), "the start time is shown");
        assertTrue(page.contains("id=\"rollout-waiting\">waiting for its start time"), "and that it waits for it");
        admin.form().post("/ui/updates/rollouts/" + rollout + "/cancel").then().statusCode(303);
        assertEquals("CANCELLED", rolloutState(rollout));
    }

    @Test
    void readOnlyAndAnalystSeeThePagesWithoutControlsAndForgedPostsChangeNothing() throws Exception {
        String[] made = packageAndRollout();
        String pkgId = made[0];
        String rollout = made[1];
        for (String role : List.of("READ_ONLY", "SECURITY_ANALYST")) {
            Browser b = Browser.as(role);
            for (String page : List.of("/ui/updates", "/ui/updates/rollouts/" + rollout)) {
                String html = b.get().get(page).then().statusCode(200).extract().asString();
                assertEquals(0, formsOtherThanLogoutIn(html), page + " offers a form to " + role);
                assertTrue(html.contains(made[2]), page);
            }
            b.get().get("/ui").then().body(containsString("href=\"/ui/updates\""));
        }
        Browser readOnly = Browser.as("READ_ONLY");
        long rollouts = rolloutCount();
        long audits = Api.auditCount();
        readOnly.get().multiPart("_csrf", readOnly.csrf).multiPart("file", pkg(version()).toFile(),
                "application/octet-stream").post("/ui/updates/packages").then().statusCode(403);
        readOnly.form().formParam("packageId", pkgId).formParam("target", "all").post("/ui/updates/rollouts")
                .then().statusCode(403);
        readOnly.form().post("/ui/updates/rollouts/" + rollout + "/cancel").then().statusCode(403);
        readOnly.form().post("/ui/updates/rollouts/" + rollout + "/pause").then().statusCode(403);
        readOnly.form().post("/ui/updates/packages/" + pkgId + "/delete").then().statusCode(403);
        assertEquals(audits + 5, Api.auditCount(), "refusals are audited too");
        assertEquals(rollouts, rolloutCount());
        assertEquals("RUNNING", rolloutState(rollout));
        Api.asAdmin().get("/api/v1/updates/packages/" + pkgId).then().statusCode(200);
    }

    @Test
    void postsWithoutTheCsrfTokenAreRefused() throws Exception {
        String[] made = packageAndRollout();
        String pkgId = made[0];
        String rollout = made[1];
        Browser admin = Browser.admin();
        long rollouts = rolloutCount();
        admin.get().formParam("packageId", pkgId).formParam("target", "all").post("/ui/updates/rollouts")
                .then().statusCode(403);
        admin.get().formParam("_csrf", "forged").post("/ui/updates/rollouts/" + rollout + "/cancel").then().statusCode(403);
        admin.get().post("/ui/updates/packages/" + pkgId + "/delete").then().statusCode(403);
        admin.get().multiPart("file", pkg(version()).toFile(), "application/octet-stream").post("/ui/updates/packages")
                .then().statusCode(403);
        assertEquals(rollouts, rolloutCount());
        assertEquals("RUNNING", rolloutState(rollout));
        Api.asAdmin().get("/api/v1/updates/packages/" + pkgId).then().statusCode(200);
    }

    @Test
    void anUploadWithoutASessionIsRefusedBeforeItsBodyIsReadAndAnOversizedOneByItsLength() throws Exception {
        byte[] big = new byte[3 * 1024 * 1024];
        io.restassured.RestAssured.given().multiPart("file", sized("p.tar", big), "application/octet-stream")
                .post("/ui/updates/packages").then().statusCode(403);
        io.restassured.RestAssured.given().cookie("sf_session", "not-a-session")
                .multiPart("file", sized("p.tar", big), "application/octet-stream").post("/ui/updates/packages")
                .then().statusCode(403);
        // A length beyond the package limit (3 MiB in tests) but under the server-wide 2 GiB is refused from the headers alone (raw socket: clients refuse to lie).
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", io.restassured.RestAssured.port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /ui/updates/packages HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 104857600\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
            assertTrue(status != null && status.startsWith("HTTP/1.1 413"), String.valueOf(status));
        }
    }

    private static int formsOtherThanLogoutIn(String html) {
        Matcher m = Pattern.compile("<form[^>]*method=\"post\"[^>]*action=\"([^\"]+)\"").matcher(html);
        int n = 0;
        while (m.find()) {
            if (!m.group(1).equals("/ui/logout")) {
                n++;
            }
        }
        return n;
    }

    /**
     * Bytes as a file, so the form goes with a Content-Length as a browser sends it (a byte-array part
     * makes the client send it chunked, which the web upload refuses unread).
     */
    private static java.io.File sized(String name, byte[] content) throws java.io.IOException {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("upload-");
        java.nio.file.Path f = dir.resolve(name);
        java.nio.file.Files.write(f, content);
        f.toFile().deleteOnExit();
        dir.toFile().deleteOnExit();
        return f.toFile();
    }
}
