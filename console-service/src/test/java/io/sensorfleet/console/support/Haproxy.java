package io.sensorfleet.console.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * HAProxy from the distribution in front of the operator planes of several console instances, as
 * an operator would run it: TLS ends at the balancer (its own certificate, made with openssl), each
 * request goes round-robin to an instance over TLS, an instance whose readiness is not UP is taken
 * out, and a request refused by a dead instance is sent to another ({@code option redispatch}).
 */
public final class Haproxy implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final Process process;
    private final HttpClient client;

    private Haproxy(Path dir, int port, Process process, HttpClient client) {
        this.dir = dir;
        this.port = port;
        this.process = process;
        this.client = client;
    }

    public static Haproxy inFrontOf(List<ConsoleProcess> consoles) throws Exception {
        Path dir = Files.createTempDirectory("haproxy-");
        Path key = dir.resolve("lb.key");
        Path cert = dir.resolve("lb.crt");
        Cli.Result made = Cli.run(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1"), null);
        if (made.exit() != 0) {
            throw new IllegalStateException("openssl: " + made.all());
        }
        Files.writeString(dir.resolve("lb.pem"), Files.readString(cert) + Files.readString(key));
        // One CA file per server: the instances' self-signed certificates share a subject, and
        // OpenSSL looks a trust anchor up by subject, so one file with all of them verifies only one.
        StringBuilder servers = new StringBuilder();
        for (int i = 0; i < consoles.size(); i++) {
            ConsoleProcess c = consoles.get(i);
            servers.append("  server console").append(i).append(" 127.0.0.1:").append(c.operatorPort)
                    .append(" ca-file ").append(c.dataDir.resolve("tls/operator-cert.pem")).append('\n');
        }
        int port = ThrowawayPostgres.freePort();
        Files.writeString(dir.resolve("haproxy.cfg"), """
                global
                  maxconn 2000
                defaults
                  mode http
                  timeout connect 2s
                  timeout client 60s
                  timeout server 60s
                  retries 3
                  option redispatch
                frontend operators
                  bind 127.0.0.1:%d ssl crt %s
                  default_backend consoles
                backend consoles
                  balance roundrobin
                  http-response set-header X-Console %%s
                  option httpchk GET /q/health/ready
                  http-check expect status 200
                  default-server check inter 1s fall 2 rise 2 ssl verify required
                %s""".formatted(port, dir.resolve("lb.pem"), servers));
        Process process = new ProcessBuilder("haproxy", "-db", "-f", dir.resolve("haproxy.cfg").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile()).start();
        Haproxy lb = new Haproxy(dir, port, process, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .sslContext(OperatorTrust.forCertificate(cert)).build());
        lb.awaitServing(consoles.size());
        return lb;
    }

    /** Waits until every instance has answered through the balancer (round-robin: one request each in turn). */
    private void awaitServing(int instances) throws Exception {
        java.util.Set<String> answered = new java.util.HashSet<>();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("haproxy exited: " + log());
            }
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(baseUri() + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    r.headers().firstValue("X-Console").ifPresent(answered::add);
                    if (answered.size() == instances) {
                        return;
                    }
                    continue;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("not every instance answered through haproxy within 30 s (" + answered + "): " + log());
    }

    public String baseUri() {
        return "https://127.0.0.1:" + port;
    }

    /** A client that trusts the balancer's certificate. */
    public HttpClient client() {
        return client;
    }

    public String log() {
        try {
            return Files.readString(dir.resolve("haproxy.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        AgentDaemon.removeTree(dir);
    }
}
