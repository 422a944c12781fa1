package io.sensorfleet.agent.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.sensorfleet.agent.identity.Pem;
import io.sensorfleet.protocol.v1.enrollment.AgentAddress;
import io.sensorfleet.protocol.v1.AgentPaths;
import io.sensorfleet.protocol.v1.enrollment.ConnectionString;
import io.sensorfleet.protocol.v1.enrollment.EnrollRequest;
import io.sensorfleet.protocol.v1.enrollment.EnrollResponse;
import io.sensorfleet.protocol.v1.heartbeat.HeartbeatResponse;
import io.sensorfleet.protocol.v1.Problem;
import io.sensorfleet.protocol.v1.enrollment.RenewRequest;
import io.sensorfleet.protocol.v1.work.Work;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A loopback stand-in for the console's agent plane (com.sun.net.httpserver over TLS, client
 * certificate requested, not required). It records every request that reaches a handler and
 * answers like the console by default; tests replace answers per path.
 */
public final class FakeConsole implements AutoCloseable {
    public static final String TOKEN = "A".repeat(43);
    public static final String SENSOR_ID = "sensor-1";

    /**
     * A request as the handler saw it.
     *
     * @param remotePort the client's source port: one per TCP connection the agent opened
     */
    public record Exchange(String path, String query, String body, X509Certificate clientCertificate, int remotePort) {
    }

    /** An answer. */
    public record Reply(int status, String contentType, String body, Map<String, String> headers) {
        public static Reply problem(int status, String type, String detail) {
            String body = json(new Problem(Problem.TYPE_PREFIX + type, "Problem " + status, status, detail, null));
            return new Reply(status, Problem.MEDIA_TYPE, body, Map.of());
        }

        public Reply withHeader(String name, String value) {
            Map<String, String> all = new java.util.HashMap<>(headers);
            all.put(name, value);
            return new Reply(status, contentType, body, all);
        }
    }

    private static final ObjectMapper JSON = ConsoleJson.mapper();

    private final HttpsServer server;
    private final TestCa ca;
    private final Clock clock;
    private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
    private final Map<String, Function<Exchange, Reply>> handlers = new ConcurrentHashMap<>();
    private volatile Duration certificateLifetime = Duration.ofDays(30);
    private volatile int heartbeatIntervalSeconds = 30;
    private final BlockingQueue<Work> work = new LinkedBlockingQueue<>();
    private volatile Duration longestHold = Duration.ofSeconds(1);

    private final SSLContext sslContext;

    private FakeConsole(TestCa ca, Clock clock, SSLContext sslContext, int port) throws IOException {
        this.ca = ca;
        this.clock = clock;
        this.sslContext = sslContext;
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(sslContext) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters parameters = getSSLContext().getDefaultSSLParameters();
                parameters.setWantClientAuth(true);
                params.setSSLParameters(parameters);
            }
        });
        handlers.put(AgentPaths.ENROLL, this::enroll);
        handlers.put(AgentPaths.HEARTBEAT, this::heartbeat);
        handlers.put(AgentPaths.RENEW, this::renew);
        handlers.put(AgentPaths.WORK, this::work);
        server.createContext(AgentPaths.BASE, this::handle);
        // Long-polls hold their request: the heartbeat must not wait behind one.
        server.setExecutor(Executors.newCachedThreadPool(r -> Thread.ofPlatform().daemon().unstarted(r)));
        server.start();
    }

    /** A console whose server certificate, issued by {@code ca}, names 127.0.0.1 and localhost. */
    public static FakeConsole start(TestCa ca, Clock clock) {
        return start(ca, clock, "127.0.0.1", "localhost");
    }

    public static FakeConsole start(TestCa ca, Clock clock, String... serverNames) {
        try {
            return new FakeConsole(ca, clock, ca.serverContext(serverNames), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public AgentAddress address() {
        return new AgentAddress("127.0.0.1", server.getAddress().getPort());
    }

    /** A connection string for this console, pinned to {@code pinnedCa}'s fingerprint. */
    public String connectionString(TestCa pinnedCa, AgentAddress... addresses) {
        List<AgentAddress> list = addresses.length == 0 ? List.of(address()) : List.of(addresses);
        return new ConnectionString(list, TOKEN, pinnedCa.fingerprint()).encode();
    }

    public String connectionString() {
        return connectionString(ca);
    }

    public List<Exchange> exchanges() {
        return List.copyOf(exchanges);
    }

    public List<Exchange> exchanges(String path) {
        return exchanges.stream().filter(e -> e.path().equals(path)).toList();
    }

    public void on(String path, Function<Exchange, Reply> handler) {
        handlers.put(path, handler);
    }

    /** Work for the next work long-poll (the default WORK handler answers with it, or 204). */
    public void offerWork(Work next) {
        work.add(next);
    }

    /** How long the default WORK handler holds a poll with nothing to give (at most the poll's wait). */
    public void longestHold(Duration hold) {
        this.longestHold = hold;
    }

    /** The number of distinct TCP connections the agent's requests came over. */
    public long connections() {
        return exchanges.stream().mapToInt(Exchange::remotePort).distinct().count();
    }

    public void certificateLifetime(Duration lifetime) {
        this.certificateLifetime = lifetime;
    }

    public void heartbeatIntervalSeconds(int seconds) {
        this.heartbeatIntervalSeconds = seconds;
    }

    public TestCa ca() {
        return ca;
    }

    /** What the default enroll handler does, for tests that alter its answer. */
    public EnrollResponse issue(String csrPem) {
        Instant notBefore = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        X509Certificate certificate = ca.issueFromCsr(csrPem, SENSOR_ID, notBefore, notBefore.plus(certificateLifetime));
        return new EnrollResponse(SENSOR_ID, "Sensor One", Pem.certificate(certificate), ca.pem(),
                certificate.getNotAfter().toInstant(), heartbeatIntervalSeconds, List.of(address().toString()));
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /**
     * A console restart: this one stops (closing every connection, idle ones included) and another
     * starts on the same port with the same handlers; exchanges are recorded by the new one.
     */
    public FakeConsole restart() {
        int port = server.getAddress().getPort();
        close();
        try {
            FakeConsole next = new FakeConsole(ca, clock, sslContext, port);
            next.handlers.putAll(handlers);
            next.heartbeatIntervalSeconds = heartbeatIntervalSeconds;
            next.certificateLifetime = certificateLifetime;
            return next;
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on port " + port + " again", e);
        }
    }

    private Reply enroll(Exchange exchange) {
        EnrollRequest request = read(exchange.body(), EnrollRequest.class);
        if (!TOKEN.equals(request.token())) {
            return Reply.problem(401, "token-invalid", "the enrollment token is not valid");
        }
        return ok(issue(request.csrPem()));
    }

    private Reply heartbeat(Exchange exchange) {
        if (exchange.clientCertificate() == null) {
            return Reply.problem(401, "client-certificate-required", "no client certificate");
        }
        return ok(new HeartbeatResponse(clock.instant(), heartbeatIntervalSeconds));
    }

    private Reply work(Exchange exchange) {
        if (exchange.clientCertificate() == null) {
            return Reply.problem(401, "client-certificate-required", "no client certificate");
        }
        long wait = 0;
        String query = exchange.query() == null ? "" : exchange.query();
        for (String part : query.split("&")) {
            if (part.startsWith("waitSeconds=")) {
                wait = Long.parseLong(part.substring("waitSeconds=".length()));
            }
        }
        try {
            Duration hold = Duration.ofSeconds(wait).compareTo(longestHold) < 0 ? Duration.ofSeconds(wait) : longestHold;
            Work next = work.poll(hold.toMillis(), TimeUnit.MILLISECONDS);
            return next == null ? new Reply(204, "application/json", "", Map.of()) : ok(next);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Reply(204, "application/json", "", Map.of());
        }
    }

    private Reply renew(Exchange exchange) {
        if (exchange.clientCertificate() == null) {
            return Reply.problem(401, "client-certificate-required", "no client certificate");
        }
        return ok(issue(read(exchange.body(), RenewRequest.class).csrPem()));
    }

    private void handle(HttpExchange http) throws IOException {
        try (http) {
            String body = new String(http.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            X509Certificate client = null;
            try {
                client = (X509Certificate) ((HttpsExchange) http).getSSLSession().getPeerCertificates()[0];
            } catch (SSLPeerUnverifiedException e) {
                // no client certificate: fine for enrollment
            }
            Exchange exchange = new Exchange(http.getRequestURI().getPath(), http.getRequestURI().getQuery(), body, client,
                    http.getRemoteAddress().getPort());
            exchanges.add(exchange);
            Function<Exchange, Reply> handler = handlers.get(exchange.path());
            Reply reply = handler == null ? Reply.problem(404, "not-found", "no such path") : handler.apply(exchange);
            byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            http.getResponseHeaders().set("Content-Type", reply.contentType());
            reply.headers().forEach((name, value) -> http.getResponseHeaders().set(name, value));
            http.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = http.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    public static Reply ok(Object body) {
        return new Reply(200, "application/json", json(body), Map.of());
    }

    public static <T> T read(String body, Class<T> type) {
        try {
            return JSON.readValue(body, type);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
