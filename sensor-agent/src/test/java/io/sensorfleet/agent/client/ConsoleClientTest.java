package io.sensorfleet.agent.client;

import io.sensorfleet.agent.identity.StateDir;
import io.sensorfleet.agent.testing.Agents;
import io.sensorfleet.agent.testing.FakeConsole;
import io.sensorfleet.agent.testing.MutableClock;
import io.sensorfleet.agent.testing.TestCa;
import io.sensorfleet.protocol.v1.enrollment.AgentAddress;
import io.sensorfleet.protocol.v1.AgentPaths;
import io.sensorfleet.protocol.v1.heartbeat.Health;
import io.sensorfleet.protocol.v1.heartbeat.HeartbeatRequest;
import io.sensorfleet.protocol.v1.heartbeat.HeartbeatResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsoleClientTest {
    private final MutableClock clock = new MutableClock(Instant.now());
    private FakeConsole console;
    private ConsoleClient client;

    @TempDir
    Path tmp;

    @BeforeEach
    void connectedAgent() {
        console = FakeConsole.start(TestCa.create("Console CA"), clock);
        StateDir stateDir = Agents.connected(tmp.resolve("state"), clock, console).stateDir();
        client = ConsoleClient.create(new AgentTls().mutual(stateDir.credentials()), Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        client.close();
        console.close();
    }

    @Test
    void heartbeatPresentsTheSensorCertificate() throws Exception {
        HeartbeatResponse response = client.heartbeat(console.address(), heartbeat());

        assertEquals(30, response.heartbeatIntervalSeconds());
        FakeConsole.Exchange exchange = console.exchanges(AgentPaths.HEARTBEAT).getFirst();
        assertNotNull(exchange.clientCertificate());
        assertEquals("CN=" + FakeConsole.SENSOR_ID, exchange.clientCertificate().getSubjectX500Principal().getName());
        assertEquals(clock.instant(), FakeConsole.read(exchange.body(), HeartbeatRequest.class).sentAt());
    }

    @Test
    void errorStatusCarriesTheProblemAndRetryAfter() {
        console.on(AgentPaths.HEARTBEAT, x -> FakeConsole.Reply.problem(503, "overloaded", "too many sensors at once")
                .withHeader("Retry-After", "7"));

        ConsoleException e = assertThrows(ConsoleException.class, () -> client.heartbeat(console.address(), heartbeat()));

        assertEquals(503, e.status());
        assertEquals("too many sensors at once", e.problem().orElseThrow().detail());
        assertEquals(Duration.ofSeconds(7), e.retryAfter().orElseThrow());
        assertTrue(e.transientFailure());
    }

    @Test
    void tokenOrCertificateProblemsAreNotTransient() {
        console.on(AgentPaths.HEARTBEAT, x -> FakeConsole.Reply.problem(403, "revoked", "certificate revoked"));

        ConsoleException e = assertThrows(ConsoleException.class, () -> client.heartbeat(console.address(), heartbeat()));

        assertFalse(e.transientFailure());
        assertTrue(e.retryAfter().isEmpty());
    }

    @Test
    void addressNobodyListensOnIsUnreachableNotAnError() throws IOException {
        AgentAddress closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = new AgentAddress("127.0.0.1", socket.getLocalPort());
        }
        AgentAddress address = closed;

        ConsoleUnreachableException e = assertThrows(ConsoleUnreachableException.class,
                () -> client.heartbeat(address, heartbeat()));

        assertEquals("cannot connect to console at " + address + ": connection refused", e.getMessage());
        assertEquals(address, e.address());
        assertTrue(e.refused(), "nothing listens: refused, retried within seconds");
    }

    private HeartbeatRequest heartbeat() {
        return new HeartbeatRequest(clock.instant(), "9.9.9", Health.ok());
    }
}
