package io.sensorfleet.console.e2e;

import io.sensorfleet.console.support.Browser;
import io.sensorfleet.console.support.ConsoleCluster;
import io.sensorfleet.console.support.ConsoleProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A web console session belongs to the fleet's database, not to the instance that opened it. */
class WebSessionsAcrossConsolesIT {
    static ConsoleCluster cluster;
    static ConsoleProcess a;
    static ConsoleProcess b;

    @BeforeAll
    static void start() throws Exception {
        cluster = ConsoleCluster.start(2);
        a = cluster.console(0);
        b = cluster.console(1);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aSessionOpenedOnOneInstanceWorksOnTheOtherAndLogoutThereEndsItOnBoth() throws Exception {
        HttpResponse<String> form = get(a, "/ui/login", null);
        String loginCsrf = cookie(form, "sf_login_csrf");
        HttpResponse<String> login = post(a, "/ui/login", "sf_login_csrf=" + loginCsrf,
                "_csrf=" + loginCsrf + "&username=admin&password=" + enc(ConsoleProcess.ADMIN_PASSWORD));
        assertEquals(303, login.statusCode(), login.body());
        String session = cookie(login, "sf_session");
        assertTrue(login.headers().allValues("Set-Cookie").stream().anyMatch(c -> c.startsWith("sf_session=")
                && c.contains("Secure") && c.contains("HttpOnly")), "the production cookie is Secure and HttpOnly");

        HttpResponse<String> onB = get(b, "/ui/sensors", "sf_session=" + session);
        assertEquals(200, onB.statusCode());
        assertTrue(onB.body().contains("admin (ADMIN)"), onB.body());

        HttpResponse<String> logout = post(b, "/ui/logout", "sf_session=" + session,
                "_csrf=" + enc(Browser.csrfIn(onB.body())));
        assertEquals(303, logout.statusCode());
        HttpResponse<String> afterOnA = get(a, "/ui", "sf_session=" + session);
        assertEquals(303, afterOnA.statusCode());
        assertTrue(afterOnA.headers().firstValue("Location").orElse("").endsWith("/ui/login"));
    }

    private static HttpResponse<String> get(ConsoleProcess c, String path, String cookie) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(c.operatorBaseUri() + path)).timeout(Duration.ofSeconds(20));
        if (cookie != null) {
            r.header("Cookie", cookie);
        }
        return c.operatorClient().send(r.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(ConsoleProcess c, String path, String cookie, String form) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(c.operatorBaseUri() + path)).timeout(Duration.ofSeconds(20))
                .header("Cookie", cookie).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        return c.operatorClient().send(r, HttpResponse.BodyHandlers.ofString());
    }

    private static String cookie(HttpResponse<?> r, String name) {
        return r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "="))
                .map(c -> c.substring(name.length() + 1, c.indexOf(';'))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " cookie in " + r.headers()));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
