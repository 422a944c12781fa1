package io.sensorfleet.console.support;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A web console session as a browser holds it (the {@code sf_session} cookie), opened through any
 * operator-plane address: one instance, or a load balancer in front of several.
 */
public final class WebSession {
    private final HttpClient client;
    private final String baseUri;
    private final String cookie;

    private WebSession(HttpClient client, String baseUri, String cookie) {
        this.client = client;
        this.baseUri = baseUri;
        this.cookie = cookie;
    }

    /** Logs in as admin through the login form. */
    public static WebSession login(HttpClient client, String baseUri) throws Exception {
        HttpResponse<String> form = client.send(HttpRequest.newBuilder(URI.create(baseUri + "/ui/login"))
                .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
        String csrf = cookie(form, "sf_login_csrf");
        HttpResponse<String> login = client.send(HttpRequest.newBuilder(URI.create(baseUri + "/ui/login"))
                .timeout(Duration.ofSeconds(20)).header("Cookie", "sf_login_csrf=" + csrf)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("_csrf=" + csrf + "&username=admin&password="
                        + URLEncoder.encode(ConsoleProcess.ADMIN_PASSWORD, StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (login.statusCode() != 303) {
            throw new IllegalStateException("web login answered " + login.statusCode() + ": " + login.body());
        }
        return new WebSession(client, baseUri, cookie(login, "sf_session"));
    }

    /** A page with the session's cookie. */
    public HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(baseUri + path)).timeout(Duration.ofSeconds(20))
                .header("Cookie", "sf_session=" + cookie).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Whether the session still opens the sensor list as the admin (not a redirect to the login). */
    public boolean works() throws Exception {
        HttpResponse<String> r = get("/ui/sensors");
        return r.statusCode() == 200 && r.body().contains("admin (ADMIN)");
    }

    private static String cookie(HttpResponse<?> r, String name) {
        return r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "="))
                .map(c -> c.substring(name.length() + 1, c.indexOf(';'))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " cookie in " + r.headers()));
    }
}
