package io.sensorfleet.agent.client;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsServer;
import io.sensorfleet.protocol.v1.enrollment.AgentAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agent's own client keeps its TLS session after every answered call ({@link TlsSessionKeeper};
 * the keeper's own test shows what keeping does against a collection that clears soft references).
 * Against an HTTPS server that closes every connection, as a restarting console does: the session of
 * the call is held once the call is answered, and in a JVM that clears every soft reference at each
 * collection ({@code -XX:SoftRefLRUPolicyMSPerMB=0}) the next call, on a new connection after two
 * full collections, resumes it (the server sees the first session's creation time). Whether
 * {@link HttpClient} itself still holds a closed connection's session at that moment depends on its
 * selector thread (a plain client resumed in some runs and not in others), so the first test is the
 * one that fails if {@link ConsoleClient} stops keeping its sessions.
 */
class ConsoleClientSessionTest {
    private static final String PASSWORD = "changeit";

    @TempDir
    Path dir;

    @Test
    void anAnsweredCallLeavesItsSessionKept() throws Exception {
        Path keystore = keystore();
        SSLContext clientContext = context(keystore, false);
        HttpsServer server = server(context(keystore, true), new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>());
        try (ConsoleClient client = ConsoleClient.create(clientContext, Duration.ofSeconds(10))) {
            assertEquals(0, client.keptSessions());
            client.settings(new AgentAddress("127.0.0.1", server.getAddress().getPort()), 0, Duration.ofSeconds(1));
            // One per ticket the server sent with the answer (the JDK's server sends more than one).
            assertTrue(client.keptSessions() >= 1, "kept " + client.keptSessions());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void theNextConnectionResumesAfterCollectionsThatClearSoftReferences() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:SoftRefLRUPolicyMSPerMB=0", "-cp", System.getProperty("java.class.path"),
                ConsoleClientSessionTest.class.getName(), keystore().toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("resumed=true "), out);
    }

    private Path keystore() throws Exception {
        Path keystore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-keyalg", "EC", "-groupname", "secp256r1", "-alias", "server", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD).redirectErrorStream(true).start();
        String keytoolOut = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, keytool.waitFor(), keytoolOut);
        return keystore;
    }

    /** The child JVM: args keystore. */
    public static void main(String[] args) throws Exception {
        Path keystore = Path.of(args[0]);
        List<Long> sessionsSeen = new CopyOnWriteArrayList<>();
        List<Integer> clientPorts = new CopyOnWriteArrayList<>();
        HttpsServer server = server(context(keystore, true), sessionsSeen, clientPorts);
        try (ConsoleClient client = ConsoleClient.create(context(keystore, false), Duration.ofSeconds(10))) {
            AgentAddress address = new AgentAddress("127.0.0.1", server.getAddress().getPort());
            client.settings(address, 0, Duration.ofSeconds(1));
            Thread.sleep(50);
            System.gc();
            Thread.sleep(20);
            System.gc();
            client.settings(address, 0, Duration.ofSeconds(1));
            // A resumed session is the one the first handshake made: same creation time (50 ms apart
            // otherwise), on another connection (another client port).
            boolean resumed = sessionsSeen.size() == 2 && sessionsSeen.get(0).equals(sessionsSeen.get(1))
                    && !clientPorts.get(0).equals(clientPorts.get(1));
            System.out.println("resumed=" + resumed + " sessions=" + sessionsSeen + " clientPorts=" + clientPorts);
        } finally {
            server.stop(0);
        }
    }

    private static SSLContext context(Path keystore, boolean server) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        if (server) {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
            kmf.init(store, PASSWORD.toCharArray());
            context.init(kmf.getKeyManagers(), null, null);
        } else {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(store);
            context.init(null, tmf.getTrustManagers(), null);
        }
        return context;
    }

    /** Answers every request 204 and closes the connection, as a console about to restart does. */
    private static HttpsServer server(SSLContext context, List<Long> sessionsSeen, List<Integer> clientPorts) throws Exception {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        server.createContext("/", exchange -> {
            sessionsSeen.add(((HttpsExchange) exchange).getSSLSession().getCreationTime());
            clientPorts.add(exchange.getRemoteAddress().getPort());
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Connection", "close");
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        return server;
    }
}
