package io.sensorfleet.console.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.sensorfleet.agent.client.AgentTls;
import io.sensorfleet.agent.identity.Credentials;
import io.sensorfleet.console.support.Cli;
import io.sensorfleet.console.support.ConsoleCluster;
import io.sensorfleet.console.support.ConsoleProcess;
import io.sensorfleet.console.support.CuttingProxy;
import io.sensorfleet.console.support.TestSensor;
import io.sensorfleet.protocol.v1.AgentPaths;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.sensorfleet.console.support.TestSensor.JSON;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS session resumption on the agent plane across two console instances sharing one database,
 * shown with openssl s_client (an independent client) and with the agent's own TLS context: a
 * session started on one instance resumes on the other, requests on it are always the sensor of the
 * full handshake, a revoked sensor is refused on it, and a ticket whose key was rotated out only
 * gets a full handshake.
 */
class SessionResumptionIT {
    static ConsoleCluster cluster;
    static ConsoleProcess a;
    static ConsoleProcess b;
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        // Keys reloaded every second, so the rotation test does not wait a minute.
        cluster = ConsoleCluster.start(2, Map.of("SENSORFLEET_SESSION_TICKETS_POLL_INTERVAL", "1s"), List.of("-Xmx512m"));
        a = cluster.console(0);
        b = cluster.console(1);
        dir = Files.createTempDirectory("sensorfleet-resumption-it-");
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** A sensor enrolled through {@code a}, with its key and certificate in files for openssl. */
    record Sensor(TestSensor client, Path cert, Path key) {
        String id() {
            return client.identity().sensorId();
        }
    }

    static Sensor enrolled(String name) throws Exception {
        TestSensor s = TwoConsolesIT.enrolledThrough(a);
        Path cert = dir.resolve(name + ".crt");
        Path key = dir.resolve(name + ".key");
        Files.writeString(cert, s.identity().certificatePem());
        Files.writeString(key, s.privateKeyPem());
        return new Sensor(s, cert, key);
    }

    static String heartbeat(String softwareVersion) {
        String body = "{\"sentAt\":\"" + Instant.now() + "\",\"softwareVersion\":\"" + softwareVersion
                + "\",\"health\":{\"status\":\"OK\"}}";
        return "POST " + AgentPaths.HEARTBEAT + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n" + body;
    }

    /**
     * One heartbeat through openssl s_client with the sensor's certificate; {@code sessionIn} to
     * resume from a saved session, the session (ticket) saved to {@code sessionOut}.
     */
    static Cli.Result sClient(ConsoleProcess console, Sensor as, Path sessionIn, Path sessionOut, String softwareVersion) {
        List<String> cmd = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + console.agentPort,
                "-tls1_3", "-ign_eof", "-cert", as.cert().toString(), "-key", as.key().toString()));
        if (sessionIn != null) {
            cmd.addAll(List.of("-sess_in", sessionIn.toString()));
        }
        if (sessionOut != null) {
            cmd.addAll(List.of("-sess_out", sessionOut.toString()));
        }
        return Cli.run(cmd, heartbeat(softwareVersion));
    }

    static void assertHandshake(String kind, int status, Cli.Result r) {
        assertTrue(r.out().contains(kind + ", TLSv1.3"), "expected '" + kind + ", TLSv1.3': " + r.all());
        assertTrue(r.out().contains("HTTP/1.1 " + status + " "), "expected HTTP " + status + ": " + r.all());
    }

    static String softwareVersion(Sensor s) throws Exception {
        JsonNode sensor = JSON.readTree(a.call("GET", "/api/v1/sensors/" + s.id(), null).body());
        return sensor.path("softwareVersion").asText();
    }

    /** An outcome of the ticket counter in an instance's metrics. */
    static double tickets(ConsoleProcess console, String outcome) throws Exception {
        String metrics = console.call("GET", "/q/metrics", null).body();
        Matcher m = Pattern.compile("(?m)^sensorfleet_agent_plane_tls_tickets_total\\{[^}]*outcome=\"" + Pattern.quote(outcome)
                + "\"[^}]*} ([0-9.eE+]+)$").matcher(metrics);
        assertTrue(m.find(), "no ticket counter for " + outcome + " in the metrics");
        return Double.parseDouble(m.group(1));
    }

    @Test
    void aSessionFromOneInstanceResumesOnTheOtherAndStaysTheSensorOfTheFullHandshake() throws Exception {
        Sensor sensorA = enrolled("a1");
        Sensor sensorB = enrolled("b1");
        Path session = dir.resolve("a1.sess");
        assertHandshake("New", 200, sClient(a, sensorA, null, session, "1.0.0-full"));
        assertTrue(Files.size(session) > 0, "openssl saved no session");

        // Resumed on the other instance while presenting B's certificate: TLS 1.3 resumption asks
        // for no certificate, the session carries A's, so the request is A's.
        assertHandshake("Reused", 200, sClient(b, sensorB, session, null, "9.9.9-resumed"));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250))
                .until(() -> softwareVersion(sensorA).equals("9.9.9-resumed"));
        assertEquals("1.0.0", softwareVersion(sensorB), "a request on A's resumed session was taken as B's");
        assertTrue(tickets(b, "resumed") + tickets(b, "resumed-old-key") >= 1);
    }

    @Test
    void aRevokedSensorIsRefusedOnAResumedSession() throws Exception {
        Sensor sensor = enrolled("revoked");
        Path session = dir.resolve("revoked.sess");
        assertHandshake("New", 200, sClient(a, sensor, null, session, "1.0.0"));
        assertHandshake("Reused", 200, sClient(b, sensor, session, null, "1.0.0"));

        assertEquals(204, a.call("DELETE", "/api/v1/sensors/" + sensor.id(), null).statusCode());
        // b learns the revocation from the database within its poll interval; then the same
        // resumed session (the handshake still succeeds) is refused request by request.
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250)).untilAsserted(
                () -> assertHandshake("Reused", 403, sClient(b, sensor, session, null, "1.0.0")));
        // a learns it from its own poll too (the revoking instance has no shortcut), so wait as well.
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250)).untilAsserted(
                () -> assertHandshake("Reused", 403, sClient(a, sensor, session, null, "1.0.0")));
    }

    /**
     * The agent's own TLS context (java.net.http and the simulator use it the same way): its
     * session cache is keyed by the address the agent connects to, so a console behind one address
     * — restarted, or another instance behind a balancer — resumes. A TCP proxy stands for that
     * address and sends the second connection to the other instance.
     */
    @Test
    void theAgentsTlsContextResumesOnAnotherInstanceBehindTheSameAddress() throws Exception {
        Sensor sensor = enrolled("jdk");
        TestSensor other = enrolled("jdk-other").client();
        SSLContext agent = agentContext(sensor);

        try (CuttingProxy address = new CuttingProxy(a.agentPort)) {
            assertTrue(exchange(agent, address.port(), "1.0.0-full").startsWith("HTTP/1.1 200 "));
            double resumedBefore = tickets(b, "resumed") + tickets(b, "resumed-old-key");
            address.forwardTo(b.agentPort);
            assertTrue(exchange(agent, address.port(), "8.8.8-jdk-resumed").startsWith("HTTP/1.1 200 "));
            assertTrue(tickets(b, "resumed") + tickets(b, "resumed-old-key") > resumedBefore,
                    "the agent's TLS context did a full handshake with the second instance");
        }
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250))
                .until(() -> softwareVersion(sensor).equals("8.8.8-jdk-resumed"));
        assertEquals("1.0.0", softwareVersion(new Sensor(other, null, null)));
    }

    /**
     * A sensor whose part of the handshake comes late (its own CPU busy, or the console's queue after
     * a restart) is not cut at 10 s, Vert.x's default, but served: a cut handshake is done again.
     */
    @Test
    void aHandshakeThatStartsTwelveSecondsAfterTheConnectionIsStillServed() throws Exception {
        Sensor sensor = enrolled("late");
        SSLContext agent = agentContext(sensor);
        try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), a.agentPort)) {
            // A real server timeout, measured from the accepted connection: only waiting shows it.
            Thread.sleep(12_000);
            try (SSLSocket tls = (SSLSocket) agent.getSocketFactory().createSocket(raw, "127.0.0.1", a.agentPort, true)) {
                tls.setSSLParameters(AgentTls.parameters());
                tls.setSoTimeout(10_000);
                OutputStream out = tls.getOutputStream();
                out.write(heartbeat("1.0.0-late").getBytes(StandardCharsets.UTF_8));
                out.flush();
                String answer = new String(tls.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
            }
        }
    }

    private static SSLContext agentContext(Sensor sensor) throws Exception {
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getMimeDecoder()
                .decode(sensor.client().privateKeyPem().replaceAll("-----[A-Z ]+-----", ""))));
        return new AgentTls().mutual(new Credentials(key,
                TestSensor.certificate(sensor.client().identity().certificatePem()),
                TestSensor.certificate(sensor.client().identity().caCertificatePem())));
    }

    /** One heartbeat over a new connection to 127.0.0.1:{@code port}. */
    private static String exchange(SSLContext context, int port, String softwareVersion) throws Exception {
        try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port)) {
            tls.setSSLParameters(AgentTls.parameters());
            tls.setSoTimeout(10_000);
            OutputStream out = tls.getOutputStream();
            out.write(heartbeat(softwareVersion).getBytes(StandardCharsets.UTF_8));
            out.flush();
            return new String(tls.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aTicketWhoseKeyWasRotatedOutGetsAFullHandshake() throws Exception {
        Sensor sensor = enrolled("rotated");
        Path session = dir.resolve("rotated.sess");
        assertHandshake("New", 200, sClient(a, sensor, null, session, "1.0.0"));
        assertHandshake("Reused", 200, sClient(b, sensor, session, null, "1.0.0"));

        // Age every key past its last ticket's expiry: the next poll of an instance deletes them
        // and creates a new one, which both install.
        try (Connection c = DriverManager.getConnection(cluster.postgres().jdbcUrl, cluster.postgres().username,
                cluster.postgres().password); Statement st = c.createStatement()) {
            assertTrue(st.executeUpdate("update tls_ticket_keys set created_at = created_at - interval '30 days'") >= 1);
        }
        for (ConsoleProcess console : new ConsoleProcess[]{a, b}) {
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(500)).untilAsserted(
                    () -> assertHandshake("New", 200, sClient(console, sensor, session, null, "1.0.0")));
            assertTrue(tickets(console, "unknown-key") >= 1);
        }
        // And the new key works across instances.
        Path fresh = dir.resolve("rotated-fresh.sess");
        assertHandshake("New", 200, sClient(a, sensor, null, fresh, "1.0.0"));
        assertHandshake("Reused", 200, sClient(b, sensor, fresh, null, "1.0.0"));
    }
}
