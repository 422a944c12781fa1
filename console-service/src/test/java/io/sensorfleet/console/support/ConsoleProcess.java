package io.sensorfleet.console.support;

import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.sensorfleet.console.support.TestSensor.JSON;

/**
 * The packaged console ({@code quarkus-run.jar}) as a separate process, the way operators run it:
 * prod profile, HTTPS on both planes, its own data directory.
 */
public final class ConsoleProcess implements AutoCloseable {
    public static final String ADMIN_PASSWORD = "it-admin-password";

    public final Path dataDir;
    public final int operatorPort;
    public final int agentPort;
    private final Process process;
    private HttpClient http;
    private String token;

    private ConsoleProcess(Path dataDir, int operatorPort, int agentPort, Process process) {
        this.dataDir = dataDir;
        this.operatorPort = operatorPort;
        this.agentPort = agentPort;
        this.process = process;
    }

    /**
     * Starts a console; a free port picked here can be taken by someone else before the console
     * binds it, so a start that fails on a port in use is retried on new ports.
     */
    public static ConsoleProcess start(ThrowawayPostgres pg, String masterKey, Map<String, String> extraEnv) throws Exception {
        return start(pg, masterKey, extraEnv, List.of("-Xmx512m"));
    }

    /** As {@link #start(ThrowawayPostgres, String, Map)}, with these JVM options (e.g. a smaller heap) instead of -Xmx512m. */
    public static ConsoleProcess start(ThrowawayPostgres pg, String masterKey, Map<String, String> extraEnv,
                                       List<String> jvmOptions) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce(pg, masterKey, extraEnv, jvmOptions);
            } catch (IllegalStateException e) {
                if (attempt == 3 || !String.valueOf(e.getMessage()).contains("in use")) {
                    throw e;
                }
            }
        }
    }

    private static ConsoleProcess startOnce(ThrowawayPostgres pg, String masterKey, Map<String, String> extraEnv,
                                            List<String> jvmOptions) throws Exception {
        Path jar = Path.of(System.getProperty("sensorfleet.console.jar",
                ThrowawayPostgres.repoRoot().resolve("console-service/target/quarkus-app/quarkus-run.jar").toString()));
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " does not exist: run 'mvnw verify' so the console is packaged first");
        }
        Path dataDir = Files.createTempDirectory("sensorfleet-console-");
        int operatorPort = ThrowawayPostgres.freePort();
        // A port given in the environment wins (an instance restarted on its port, advertised addresses set up front).
        int agentPort = extraEnv.containsKey("SENSORFLEET_AGENT_PLANE_PORT")
                ? Integer.parseInt(extraEnv.get("SENSORFLEET_AGENT_PLANE_PORT")) : ThrowawayPostgres.freePort();
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dataDir.resolve("console.log").toFile());
        Map<String, String> env = pb.environment();
        env.put("QUARKUS_DATASOURCE_JDBC_URL", pg.jdbcUrl);
        env.put("QUARKUS_DATASOURCE_USERNAME", pg.username);
        env.put("QUARKUS_DATASOURCE_PASSWORD", pg.password);
        env.put("SENSORFLEET_CONSOLE_DATA_DIR", dataDir.toString());
        env.put("SENSORFLEET_CONSOLE_MASTER_KEY", masterKey);
        env.put("SENSORFLEET_ADMIN_PASSWORD", ADMIN_PASSWORD);
        env.put("QUARKUS_HTTP_SSL_PORT", String.valueOf(operatorPort));
        env.put("SENSORFLEET_AGENT_PLANE_PORT", String.valueOf(agentPort));
        env.putAll(extraEnv);
        ConsoleProcess c = new ConsoleProcess(dataDir, operatorPort, agentPort, pb.start());
        c.awaitReady();
        return c;
    }

    private void awaitReady() throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("console exited: " + log());
            }
            if (log().contains("Listening on: https://")) {
                http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                        .sslContext(OperatorTrust.forCertificate(dataDir.resolve("tls/operator-cert.pem"))).build();
                answersWithItsOwnCertificate();
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("console did not start within 90 s: " + log());
    }

    /**
     * The console logged that it listens, but the port it was given may have been bound by another
     * server between the pick and the console's start (a server bound with SO_REUSEPORT, or one in
     * another network setup, does not make the console's bind fail): a TLS handshake that does not
     * end at this console's own certificate says so, and the start is retried on other ports.
     */
    private void answersWithItsOwnCertificate() throws Exception {
        try {
            http.send(HttpRequest.newBuilder(URI.create(operatorBaseUri() + "/q/health/live"))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.discarding());
        } catch (SSLHandshakeException e) {
            close();
            throw new IllegalStateException("operator port " + operatorPort + " in use: another TLS server answered it ("
                    + e.getMessage() + ")", e);
        }
    }

    /** From now on trust this CA (PEM) for the operator plane, e.g. after an operator certificate was replaced. */
    public void trustOperatorCa(Path caPem) {
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .sslContext(OperatorTrust.forCertificate(caPem)).build();
    }

    /** A client trusting this console's operator certificate, for requests {@link #call} does not make (cookies, forms). */
    public HttpClient operatorClient() {
        return http;
    }

    public String log() {
        try {
            return Files.readString(dataDir.resolve("console.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    public String agentBaseUri() {
        return "https://127.0.0.1:" + agentPort;
    }

    public String operatorBaseUri() {
        return "https://127.0.0.1:" + operatorPort;
    }

    /** An operator-plane call as admin; returns the response. */
    public HttpResponse<String> call(String method, String path, Object body) throws Exception {
        if (token == null && !path.endsWith("/auth/login")) {
            HttpResponse<String> login = call("POST", "/api/v1/auth/login",
                    Map.of("username", "admin", "password", ADMIN_PASSWORD));
            token = JSON.readTree(login.body()).get("token").asText();
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(operatorBaseUri() + path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An operator-plane call with a given bearer token (e.g. one an operator created in the web console). */
    public HttpResponse<String> callWithToken(String method, String path, String bearer) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(operatorBaseUri() + path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + bearer).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** POSTs a file's bytes as admin (application/octet-stream), e.g. an update package. */
    public HttpResponse<String> upload(String path, byte[] body) throws Exception {
        if (token == null) {
            call("GET", "/api/v1/sensors", null);
        }
        return http.send(HttpRequest.newBuilder(URI.create(operatorBaseUri() + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/octet-stream").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Whether the process is still running (an instance that recovered by itself was never restarted). */
    public boolean alive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** {@code kill -9}: the instance dies at once, with no shutdown hook, flush or lease release. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(20, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
