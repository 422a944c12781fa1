package io.sensorfleet.console.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A webhook receiver on loopback (com.sun.net.httpserver): records every request and answers 200,
 * or the statuses a test scripted, optionally after a delay.
 */
public final class WebhookReceiver implements AutoCloseable {
    /** A request as received, with the status it was answered with and when it arrived. */
    public record Received(Map<String, List<String>> headers, String body, int status, java.time.Instant at) {
        public String eventIdHeader() {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("X-SensorFleet-Event-Id"))
                    .map(e -> e.getValue().getFirst()).findFirst().orElse(null);
        }

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst()).findFirst().orElse(null);
        }

        public JsonNode json() {
            try {
                return TestSensor.JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON: " + body, e);
            }
        }

        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Integer> scripted = new ConcurrentLinkedQueue<>();
    private volatile Duration delay = Duration.ZERO;
    private volatile String scheme = "http";

    private WebhookReceiver(HttpServer server) {
        this.server = server;
    }

    /** On a free port. */
    public static WebhookReceiver start() {
        return start(0);
    }

    public static WebhookReceiver start(int port) {
        try {
            return start(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200));
        } catch (IOException e) {
            throw new IllegalStateException("cannot start a webhook receiver on port " + port, e);
        }
    }

    /** Over HTTPS on a free port, with the server side of {@code tls} (see {@link OpensslPki#serverTls}). */
    public static WebhookReceiver startHttps(javax.net.ssl.SSLContext tls) {
        try {
            com.sun.net.httpserver.HttpsServer server = com.sun.net.httpserver.HttpsServer.create(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
            server.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls));
            WebhookReceiver r = start(server);
            r.scheme = "https";
            return r;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start an HTTPS webhook receiver", e);
        }
    }

    private static WebhookReceiver start(HttpServer server) {
        WebhookReceiver r = new WebhookReceiver(server);
        server.createContext("/", r::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return r;
    }

    public String url() {
        return scheme + "://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The next requests get these statuses, in order; after them, 200 again. */
    public WebhookReceiver answer(int... statuses) {
        for (int s : statuses) {
            scripted.add(s);
        }
        return this;
    }

    /** Every answer waits this long first. */
    public WebhookReceiver delay(Duration d) {
        this.delay = d;
        return this;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    /** Requests whose body names this sensor. */
    public List<Received> receivedFor(String sensorId) {
        return received.stream().filter(r -> sensorId.equals(r.json().path("sensorId").asText())).toList();
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            java.time.Instant at = java.time.Instant.now();
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (!delay.isZero()) {
                Thread.sleep(delay.toMillis());
            }
            Integer next = scripted.poll();
            int status = next == null ? 200 : next;
            received.add(new Received(Map.copyOf(x.getRequestHeaders()), body, status, at));
            byte[] answer = (status < 300 ? "{\"accepted\":true}" : "{\"error\":\"scripted failure\"}")
                    .getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", "application/json");
            x.sendResponseHeaders(status, answer.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(answer);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
