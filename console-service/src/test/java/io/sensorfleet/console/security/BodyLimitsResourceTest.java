package io.sensorfleet.console.security;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sensorfleet.console.support.Api;
import io.sensorfleet.console.support.Browser;
import io.sensorfleet.console.support.PostgresTestResource;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bodies the probe used to make the console read or store far more than it needs. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class BodyLimitsResourceTest {
    @TestHTTPResource("/")
    URL base;

    @Test
    void chunkedBodiesAreRefusedUnreadOnEveryOrdinaryRoute() throws Exception {
        long zones = zoneCount();
        for (String path : new String[]{"api/v1/auth/login", "api/v1/zones", "ui/login"}) {
            HttpResponse<String> r = chunked(path, "{\"name\":\"chunked\",\"siteId\":\"" + Api.siteId() + "\"}");
            assertEquals(411, r.statusCode(), path + ": " + r.body());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        }
        assertEquals(zones, zoneCount());
    }

    @Test
    void anAnnouncedBodyOverTheLimitIsRefusedBeforeAuthentication() {
        given().contentType("application/json").body(new byte[2 * 1024 * 1024]).post("/api/v1/zones").then()
                .statusCode(413).contentType("application/problem+json");
    }

    @Test
    void aReadOnlySessionCannotMakeTheConsoleStoreAnUpload() throws Exception {
        Browser readOnly = Browser.as("READ_ONLY");
        long audits = Api.auditCount();
        given().cookie("sf_session", readOnly.session).header("X-CSRF-Token", "wrong").multiPart("_csrf", "wrong")
                .multiPart("file", sized(new byte[3 * 1024 * 1024]), "application/octet-stream")
                .post("/ui/updates/packages").then().statusCode(403).body(containsString("as an Admin"));
        assertEquals(audits + 1, Api.auditCount(), "the refusal is audited");
    }

    @Test
    void aChunkedWebUploadFromAnAdminIsRefusedUnreadSoItCannotPassThePackageLimit() throws Exception {
        Browser admin = Browser.as("ADMIN");
        long packages = Api.asAdmin().get("/api/v1/updates/packages").then().statusCode(200).extract().jsonPath()
                .getList("$").size();
        String boundary = "sf-boundary";
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.pkg\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n" + "x".repeat(64 * 1024) + "\r\n--" + boundary + "--\r\n";
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "ui/updates/packages"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header("Cookie", "sf_session=" + admin.session)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body.getBytes()))).build();
        HttpResponse<String> r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(req, HttpResponse.BodyHandlers.ofString());
        assertEquals(411, r.statusCode(), r.body());
        assertTrue(r.body().contains("Content-Length"), r.body());
        assertEquals(packages, Api.asAdmin().get("/api/v1/updates/packages").then().extract().jsonPath()
                .getList("$").size());
    }

    /** A file, so the form goes with a Content-Length as a browser sends it. */
    private static java.io.File sized(byte[] content) throws java.io.IOException {
        java.nio.file.Path f = java.nio.file.Files.createTempFile("big", ".pkg");
        java.nio.file.Files.write(f, content);
        f.toFile().deleteOnExit();
        return f.toFile();
    }

    private HttpResponse<String> chunked(String path, String body) throws Exception {
        // An InputStream publisher has no length: the client sends Transfer-Encoding: chunked.
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + Api.adminToken())
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body.getBytes()))).build();
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(req, HttpResponse.BodyHandlers.ofString());
    }

    private static long zoneCount() {
        return Api.asAdmin().get("/api/v1/zones").then().statusCode(200).extract().jsonPath().getList("$").size();
    }
}
