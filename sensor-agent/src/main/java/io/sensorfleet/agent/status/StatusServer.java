package io.sensorfleet.agent.status;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.sensorfleet.agent.AgentConfig;
import io.sensorfleet.agent.AgentException;
import io.sensorfleet.agent.AgentJson;
import io.sensorfleet.agent.AgentLog;
import io.sensorfleet.agent.identity.HttpsCertificate;
import io.sensorfleet.agent.identity.NotConnectedException;
import io.sensorfleet.agent.identity.StateDir;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The sensor's local HTTPS endpoint: {@code GET /status} answers what {@code sensor-agent status
 * --json} prints. Off unless {@code run --status-port} is given. TLS 1.2 and 1.3 only; the
 * certificate is the imported one, else one the agent signed itself, and a newly imported one is
 * presented to new connections without a restart.
 */
public final class StatusServer implements AutoCloseable {
    private final HttpsServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final AgentConfig config;
    private final StateDir stateDir;

    private StatusServer(HttpsServer server, AgentConfig config, StateDir stateDir) {
        this.server = server;
        this.config = config;
        this.stateDir = stateDir;
    }

    public static StatusServer start(AgentConfig config, StateDir stateDir, InetSocketAddress address, AgentLog log) {
        HttpsCertificate certificate = new HttpsCertificates(stateDir, config.clock()).ensure(config.hostname());
        if (certificate.selfSigned()) {
            log.warn("status endpoint: presenting a self-signed certificate (not for production); "
                    + "install one with 'sensor-agent certificate import'");
        }
        try {
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(new KeyManager[]{new ReloadingKeyManager(stateDir, certificate, log)}, null, null);
            HttpsServer server = HttpsServer.create(address, 16);
            server.setHttpsConfigurator(new HttpsConfigurator(tls) {
                @Override
                public void configure(HttpsParameters params) {
                    SSLParameters p = tls.getDefaultSSLParameters();
                    p.setProtocols(new String[]{"TLSv1.3", "TLSv1.2"});
                    params.setSSLParameters(p);
                }
            });
            StatusServer s = new StatusServer(server, config, stateDir);
            server.createContext("/", s::handle);
            server.setExecutor(s.executor);
            server.start();
            log.info("status endpoint: https://" + address.getHostString() + ":" + s.port() + "/status");
            return s;
        } catch (IOException e) {
            throw new AgentException("cannot open the status endpoint on " + address + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has TLS", e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            if (!x.getRequestURI().getPath().equals("/status")) {
                answer(x, 404, Map.of("error", "not found; the status is at /status"));
            } else if (!x.getRequestMethod().equals("GET")) {
                x.getResponseHeaders().add("Allow", "GET");
                answer(x, 405, Map.of("error", "only GET"));
            } else {
                status(x);
            }
        }
    }

    private void status(HttpExchange x) throws IOException {
        StatusReport report;
        try {
            report = StatusReport.of(config, stateDir);
        } catch (NotConnectedException e) {
            answer(x, 503, Map.of("error", e.getMessage()));
            return;
        } catch (AgentException e) {
            answer(x, 500, Map.of("error", e.getMessage()));
            return;
        }
        answer(x, 200, report);
    }

    private static void answer(HttpExchange x, int status, Object body) throws IOException {
        byte[] bytes;
        bytes = AgentJson.mapper().writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "application/json");
        x.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
