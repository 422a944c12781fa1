package io.sensorfleet.console.forwarding;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.sensorfleet.console.agentplane.AgentPlaneServer;
import io.sensorfleet.console.certificates.InternalCa;
import io.sensorfleet.console.sensors.ConnectivitySweeper;
import io.sensorfleet.console.sensors.HeartbeatBuffer;
import io.sensorfleet.console.support.Api;
import io.sensorfleet.console.support.OpensslPki;
import io.sensorfleet.console.support.PostgresTestResource;
import io.sensorfleet.console.support.Rules;
import io.sensorfleet.console.support.TestClock;
import io.sensorfleet.console.support.TestFleet;
import io.sensorfleet.console.support.TestSensor;
import io.sensorfleet.console.support.WebhookReceiver;
import io.sensorfleet.protocol.v1.alerts.AlertReport;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The certificate-validation toggle on forwarding over TLS: receivers on https whose certificates
 * (made with openssl) name a CRL distribution point served by a local HTTP server.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class PeerCertificateValidationTest {
    static OpensslPki pki;
    static HttpServer crlServer;
    static final AtomicInteger crlRequests = new AtomicInteger();
    static final AtomicInteger silentRequests = new AtomicInteger();

    @Inject
    AgentPlaneServer agentPlane;
    @Inject
    InternalCa ca;
    @Inject
    HeartbeatBuffer heartbeats;
    @Inject
    ConnectivitySweeper sweeper;
    @Inject
    TestClock clock;
    @Inject
    DeliveryWorker worker;

    TestFleet fleet;

    @BeforeAll
    static void pki() throws Exception {
        crlServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        crlServer.createContext("/ca.crl", x -> {
            crlRequests.incrementAndGet();
            byte[] crl = pki.crl();
            x.sendResponseHeaders(200, crl.length);
            x.getResponseBody().write(crl);
            x.close();
        });
        crlServer.createContext("/silent.crl", x -> {
            silentRequests.incrementAndGet();
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            x.close();
        });
        crlServer.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        crlServer.start();
        String base = "http://127.0.0.1:" + crlServer.getAddress().getPort();
        pki = OpensslPki.create("peer-validation-");
        pki.write("crl.ext", "subjectAltName=IP:127.0.0.1,DNS:localhost\ncrlDistributionPoints=URI:" + base + "/ca.crl\n");
        pki.write("silent.ext", "subjectAltName=IP:127.0.0.1,DNS:localhost\ncrlDistributionPoints=URI:" + base + "/silent.crl\n");
        for (String name : List.of("revoked", "valid", "silent")) {
            pki.csr(name, 2048);
            pki.caSigned(name, name, name.equals("silent") ? "silent.ext" : "crl.ext", null, null);
        }
        pki.revoke("revoked");
    }

    @AfterAll
    static void stopCrlServer() {
        if (crlServer != null) {
            crlServer.stop(0);
        }
    }

    @BeforeEach
    void fleet() {
        fleet = new TestFleet(agentPlane, ca, heartbeats, sweeper, clock);
    }

    @AfterEach
    void reset() {
        clock.reset();
        validation(null);
    }

    private static void validation(Boolean on) {
        Map<String, Object> values = new HashMap<>();
        values.put("certificates.validation", on);
        Api.asAdmin().body(Map.of("values", values)).patch("/api/v1/settings/global").then().statusCode(200);
    }

    private static WebhookReceiver receiver(String name) {
        return WebhookReceiver.startHttps(pki.serverTls(name));
    }

    /** A rule sending this sensor's alerts to the receiver, trusting the test CA. */
    private static String rule(TestSensor s, WebhookReceiver receiver) {
        Map<String, Object> action = Map.of("type", "WEBHOOK", "url", receiver.url(), "caCertificatePem", pki.read("ca.crt"));
        return Api.asAdmin().body(Rules.forSensors(List.of(s.identity().sensorId()), List.of(action)))
                .post("/api/v1/forwarding-rules").then().statusCode(201).extract().path("id");
    }

    private static void alert(TestSensor s) {
        s.alert(new AlertReport("a-" + UUID.randomUUID(), "Modbus write", AlertReport.Severity.MAJOR, "Policy Violation",
                "Modbus", "10.0.0.1", "10.0.0.2", Instant.now()));
    }

    private static JsonPath delivery(String ruleId) {
        return Api.asAdmin().get("/api/v1/forwarding-rules/" + ruleId + "/deliveries").then().statusCode(200)
                .extract().jsonPath();
    }

    @Test
    void revokedReceiverIsRefusedWithTheReasonWhileValidationIsOnAndReachedOnceItIsOff() {
        validation(true);
        try (WebhookReceiver receiver = receiver("revoked")) {
            TestSensor s = fleet.reporting();
            String ruleId = rule(s, receiver);
            alert(s);

            worker.deliverDue();

            assertEquals(0, receiver.received().size(), "no message reaches a revoked receiver");
            JsonPath log = delivery(ruleId);
            assertEquals("PENDING", log.getString("items[0].state"), "the message stays queued for a retry");
            assertEquals("certificate of 127.0.0.1 is revoked (CRL http://127.0.0.1:" + crlServer.getAddress().getPort()
                    + "/ca.crl)", log.getString("items[0].lastError"));

            validation(false);
            clock.advance(Duration.ofMinutes(6));
            worker.deliverDue();

            assertEquals(1, receiver.received().size(), "with validation off only the chain is checked");
            assertEquals("DELIVERED", delivery(ruleId).getString("items[0].state"));
        }
    }

    @Test
    void syslogOverTlsToARevokedReceiverIsRefusedWhileValidationIsOnAndWrittenOnceItIsOff() throws Exception {
        validation(true);
        StringBuffer received = new StringBuffer();
        try (ServerSocket server = pki.serverTls("revoked").getServerSocketFactory()
                .createServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket c = server.accept();
                        Thread.ofVirtual().start(() -> {
                            try (c; InputStream in = c.getInputStream()) {
                                byte[] buffer = new byte[4096];
                                for (int n; (n = in.read(buffer)) > 0; ) {
                                    received.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                                }
                            } catch (IOException e) {
                                // a refused handshake ends here
                            }
                        });
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            TestSensor s = fleet.reporting();
            Map<String, Object> action = Map.of("type", "SYSLOG", "host", "127.0.0.1", "port", server.getLocalPort(),
                    "transport", "TLS", "format", "JSON", "caCertificatePem", pki.read("ca.crt"));
            String ruleId = Api.asAdmin().body(Rules.forSensors(List.of(s.identity().sensorId()), List.of(action)))
                    .post("/api/v1/forwarding-rules").then().statusCode(201).extract().path("id");
            alert(s);

            worker.deliverDue();

            assertEquals("certificate of 127.0.0.1 is revoked (CRL http://127.0.0.1:" + crlServer.getAddress().getPort()
                    + "/ca.crl)", delivery(ruleId).getString("items[0].lastError"));
            assertEquals("PENDING", delivery(ruleId).getString("items[0].state"));
            assertEquals("", received.toString());

            validation(false);
            clock.advance(Duration.ofMinutes(6));
            worker.deliverDue();

            assertEquals("DELIVERED", delivery(ruleId).getString("items[0].state"));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> received.toString().contains("Modbus write"));
        }
    }

    @Test
    void receiverWhoseCertificateIsNotRevokedIsReachedWithValidationOn() {
        validation(true);
        try (WebhookReceiver receiver = receiver("valid")) {
            TestSensor s = fleet.reporting();
            String ruleId = rule(s, receiver);
            int before = crlRequests.get();
            alert(s);

            worker.deliverDue();

            assertEquals(1, receiver.received().size(), delivery(ruleId).prettify());
            assertTrue(crlRequests.get() <= before + 1, "the CRL is fetched at most once and then kept until its nextUpdate");
        }
    }

    @Test
    void crlServerNotAnsweringRefusesAfterTimeoutAndOneRetryWhileValidationIsOn() {
        validation(true);
        try (WebhookReceiver receiver = receiver("silent")) {
            TestSensor s = fleet.reporting();
            String ruleId = rule(s, receiver);
            alert(s);
            long start = System.nanoTime();

            worker.deliverDue();

            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertEquals(0, receiver.received().size());
            assertEquals(2, silentRequests.get(), "one try and one retry");
            assertTrue(took.compareTo(Duration.ofSeconds(6)) >= 0, "3 s per try: " + took);
            String error = delivery(ruleId).getString("items[0].lastError");
            assertEquals("certificate of 127.0.0.1 cannot be checked for revocation: CRL http://127.0.0.1:"
                    + crlServer.getAddress().getPort() + "/silent.crl did not answer within 3 s (2 tries, 3 s each)", error);
            assertEquals("PENDING", delivery(ruleId).getString("items[0].state"));

            validation(false);
            clock.advance(Duration.ofMinutes(6));
            worker.deliverDue();
            assertEquals(1, receiver.received().size());
        }
    }
}
