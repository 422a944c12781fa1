package io.sensorfleet.console.auth;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sensorfleet.console.support.Api;
import io.sensorfleet.console.support.PostgresTestResource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Password spraying and guessing from one loopback address while the admin logs in from another;
 * each client binds its own source address, as two machines would.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class LoginThrottleResourceTest {
    @TestHTTPResource("/")
    URL base;
    @ConfigProperty(name = "sensorfleet.auth.max-failed-logins-per-address")
    int perAddress;
    @ConfigProperty(name = "sensorfleet.auth.max-failed-logins")
    int perName;

    @Test
    void sprayingUnknownNamesFromOneAddressIsThrottledWhileTheAdminLogsInFromAnother() throws Exception {
        HttpClient attacker = client("127.0.0.3");
        HttpClient admin = client("127.0.0.2");
        long audited = Api.auditCount();
        int firstRefused = -1;
        for (int i = 0; i < 1000; i++) {
            HttpResponse<String> r = apiLogin(attacker, "sprayed-" + UUID.randomUUID(), "Winter2026!");
            if (r.statusCode() == 429) {
                if (firstRefused < 0) {
                    firstRefused = i;
                    assertTrue(Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow()) > 0);
                    assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("application/problem+json"));
                    assertTrue(r.body().contains("too-many-failed-logins"), r.body());
                    assertEquals(200, apiLogin(admin, "admin", "test-admin-password").statusCode(),
                            "the admin from another address logs in meanwhile");
                }
            } else {
                assertEquals(-1, firstRefused, "once throttled, every attempt is refused: " + i);
                assertEquals(401, r.statusCode(), r.body());
            }
        }
        assertEquals(perAddress, firstRefused, "429 after the documented number of failures");
        // A known name is refused exactly like an unknown one, and the web form shares the throttle.
        HttpResponse<String> known = apiLogin(attacker, "admin", "test-admin-password");
        assertEquals(429, known.statusCode());
        HttpResponse<String> web = webLogin(attacker, "admin", "test-admin-password");
        assertEquals(429, web.statusCode());
        assertTrue(web.headers().firstValue("Retry-After").isPresent());
        assertEquals(200, apiLogin(admin, "admin", "test-admin-password").statusCode());
        assertTrue(Api.auditCount() >= audited + 1000, "every attempt is audited");
    }

    @Test
    void guessingTheAdminPasswordDoesNotLockTheAdminOut() throws Exception {
        HttpClient guesser = client("127.0.0.4");
        for (int i = 0; i < perName; i++) {
            assertEquals(401, webLogin(guesser, "admin", "guess-" + i).statusCode());
        }
        assertEquals(429, apiLogin(guesser, "admin", "test-admin-password").statusCode(),
                "the address that failed is refused even with the right password");
        assertEquals(401, apiLogin(guesser, "someone-else", "x").statusCode(), "other names from it are still checked");
        assertEquals(200, apiLogin(client("127.0.0.5"), "admin", "test-admin-password").statusCode());
        assertEquals(303, webLogin(client("127.0.0.5"), "admin", "test-admin-password").statusCode());
    }

    private HttpResponse<String> apiLogin(HttpClient c, String name, String password) throws IOException, InterruptedException {
        String body = "{\"username\":\"" + name + "\",\"password\":\"" + password + "\"}";
        return c.send(HttpRequest.newBuilder(URI.create(base + "api/v1/auth/login")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> webLogin(HttpClient c, String name, String password) throws IOException, InterruptedException {
        String csrf = "login-csrf-" + UUID.randomUUID();
        String form = "_csrf=" + csrf + "&username=" + name + "&password=" + password;
        return c.send(HttpRequest.newBuilder(URI.create(base + "ui/login"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", "sf_login_csrf=" + csrf)
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpClient client(String source) throws IOException {
        return HttpClient.newBuilder().localAddress(InetAddress.getByName(source))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }
}
