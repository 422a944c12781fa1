package io.sensorfleet.agent.heartbeat;

import io.sensorfleet.agent.AgentConfig;
import io.sensorfleet.agent.client.AgentTls;
import io.sensorfleet.agent.session.Backoff;
import io.sensorfleet.agent.session.ConsoleSession;
import io.sensorfleet.agent.session.Renewer;
import io.sensorfleet.agent.identity.AgentStatus;
import io.sensorfleet.agent.identity.CsrFactory;
import io.sensorfleet.agent.identity.Identity;
import io.sensorfleet.agent.identity.RenewalPolicy;
import io.sensorfleet.agent.identity.StateDir;
import io.sensorfleet.agent.testing.Agents;
import io.sensorfleet.agent.testing.FakeConsole;
import io.sensorfleet.agent.testing.MutableClock;
import io.sensorfleet.agent.testing.RecordingLog;
import io.sensorfleet.agent.testing.TestCa;
import io.sensorfleet.protocol.v1.enrollment.AgentAddress;
import io.sensorfleet.protocol.v1.AgentPaths;
import io.sensorfleet.protocol.v1.enrollment.ConnectionString;
import io.sensorfleet.protocol.v1.heartbeat.Health;
import io.sensorfleet.protocol.v1.heartbeat.HeartbeatRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeartbeatLoopTest {
    private static TestCa ca;

    @TempDir
    Path tmp;

    /** The agent's clock; the console keeps real time so the TLS stacks accept the certificates it issues. */
    private final MutableClock clock = new MutableClock(Instant.now());
    private final RecordingLog log = new RecordingLog();
    private FakeConsole console;
    private StateDir stateDir;

    @BeforeAll
    static void consoleCa() {
        ca = TestCa.create("Console CA");
    }

    @BeforeEach
    void connectedAgent() {
        console = FakeConsole.start(ca, Clock.systemUTC());
        stateDir = Agents.connected(tmp.resolve("state"), clock, console).stateDir();
    }

    @AfterEach
    void stopConsole() {
        console.close();
    }

    @Test
    void heartbeatGoesOutWithTheSensorCertificateAndIsRecorded() {
        HeartbeatOutcome outcome = loop().runOnce();

        assertTrue(outcome.reported());
        assertEquals(console.address(), outcome.address());
        FakeConsole.Exchange exchange = console.exchanges(AgentPaths.HEARTBEAT).getFirst();
        assertEquals("CN=" + FakeConsole.SENSOR_ID, exchange.clientCertificate().getSubjectX500Principal().getName());
        HeartbeatRequest request = FakeConsole.read(exchange.body(), HeartbeatRequest.class);
        assertEquals(clock.instant(), request.sentAt());
        assertEquals("9.9.9", request.softwareVersion());
        assertEquals(Health.Status.OK, request.health().status());
        AgentStatus status = stateDir.status();
        assertEquals(clock.instant(), status.lastSuccessAt());
        assertEquals(0, status.consecutiveFailures());
        assertTrue(log.lines().getFirst().startsWith("INFO reporting to " + console.address()));
    }

    @Test
    void secondHeartbeatCarriesTheRoundTripOfTheFirst() {
        HeartbeatLoop loop = loop();
        loop.runOnce();
        loop.runOnce();

        List<FakeConsole.Exchange> sent = console.exchanges(AgentPaths.HEARTBEAT);
        assertEquals(null, FakeConsole.read(sent.get(0).body(), HeartbeatRequest.class).roundTripMs());
        Long measured = FakeConsole.read(sent.get(1).body(), HeartbeatRequest.class).roundTripMs();
        assertTrue(measured != null && measured >= 0 && measured <= HeartbeatRequest.MAX_ROUND_TRIP_MS,
                String.valueOf(measured));
    }

    @Test
    void nextHeartbeatIsOneIntervalAwayWithTenPercentJitter() {
        Duration next = loop().runOnce().nextDelay();

        assertTrue(next.compareTo(Duration.ofSeconds(27)) >= 0 && next.compareTo(Duration.ofSeconds(33)) <= 0,
                next.toString());
    }

    @Test
    void failedHeartbeatBacksOffAndFailsOverToTheNextAddress() throws IOException {
        AgentAddress closed = closedPort();
        Identity identity = stateDir.requireIdentity();
        stateDir.saveIdentity(new Identity(identity.sensorId(), identity.sensorName(),
                List.of(closed.toString(), console.address().toString()), identity.heartbeatIntervalSeconds(),
                identity.certificateNotAfter(), identity.certificateFingerprint(), identity.connectedAt()));
        HeartbeatLoop loop = loop();

        HeartbeatOutcome failed = loop.runOnce();

        assertEquals(HeartbeatOutcome.Result.FAILED, failed.result());
        assertEquals(closed, failed.address());
        assertTrue(failed.nextDelay().compareTo(Duration.ofSeconds(1)) <= 0, "first backoff is at most the 1 s base");
        AgentStatus afterFailure = stateDir.status();
        assertEquals(1, afterFailure.consecutiveFailures());
        assertTrue(afterFailure.lastError().startsWith("cannot connect to console at " + closed), afterFailure.lastError());

        HeartbeatOutcome recovered = loop.runOnce();

        assertTrue(recovered.reported());
        assertEquals(console.address(), recovered.address());
        AgentStatus afterRecovery = stateDir.status();
        assertEquals(0, afterRecovery.consecutiveFailures());
        assertEquals(afterFailure.lastError(), afterRecovery.lastError(), "the last error stays visible after recovery");
    }

    @Test
    void retryAfterFromTheConsoleIsHonoured() {
        console.on(AgentPaths.HEARTBEAT, x -> FakeConsole.Reply.problem(429, "too-many", "slow down")
                .withHeader("Retry-After", "7"));

        HeartbeatOutcome outcome = loop().runOnce();

        assertEquals(HeartbeatOutcome.Result.FAILED, outcome.result());
        assertEquals(Duration.ofSeconds(7), outcome.nextDelay());
    }

    @Test
    void backoffGrowsWithConsecutiveFailuresAndIsCappedByTheInterval() {
        console.on(AgentPaths.HEARTBEAT, x -> FakeConsole.Reply.problem(500, "bug", "boom"));
        HeartbeatLoop loop = loop();

        Duration longest = Duration.ZERO;
        for (int i = 1; i <= 10; i++) {
            HeartbeatOutcome outcome = loop.runOnce();
            assertTrue(outcome.nextDelay().compareTo(new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30)).ceiling(i)) <= 0);
            longest = outcome.nextDelay().compareTo(longest) > 0 ? outcome.nextDelay() : longest;
        }

        assertEquals(10, stateDir.status().consecutiveFailures());
        assertTrue(longest.compareTo(Duration.ofSeconds(4)) > 0, "ten failures should have backed off beyond 4 s");
    }

    @Test
    void certificateIsRenewedAtTwoThirdsOfItsLifetimeAndUsedFromThen() throws IOException {
        HeartbeatLoop loop = loop();
        BigInteger firstSerial = stateDir.credentials().certificate().getSerialNumber();
        Instant renewAt = new RenewalPolicy().renewAt(stateDir.credentials().certificate());
        String firstKey = Files.readString(stateDir.path().resolve(StateDir.KEY));

        clock.set(renewAt.minusSeconds(1));
        assertEquals(HeartbeatOutcome.Renewal.NOT_DUE, loop.runOnce().renewal());

        clock.set(renewAt);
        HeartbeatOutcome renewing = loop.runOnce();

        assertEquals(HeartbeatOutcome.Renewal.RENEWED, renewing.renewal());
        assertEquals(1, console.exchanges(AgentPaths.RENEW).size());
        assertEquals(firstSerial, console.exchanges(AgentPaths.RENEW).getFirst().clientCertificate().getSerialNumber(),
                "renewal authenticates with the current certificate");
        assertNotEquals(firstKey, Files.readString(stateDir.path().resolve(StateDir.KEY)), "renewal uses a new key");
        BigInteger renewedSerial = stateDir.credentials().certificate().getSerialNumber();
        assertNotEquals(firstSerial, renewedSerial);
        assertEquals(stateDir.credentials().certificate().getNotAfter().toInstant(),
                stateDir.requireIdentity().certificateNotAfter());

        assertTrue(loop.runOnce().reported());
        assertEquals(renewedSerial, console.exchanges(AgentPaths.HEARTBEAT).getLast().clientCertificate().getSerialNumber());
    }

    @Test
    void failedRenewalIsRecordedAndTriedAgainAfterTheNextHeartbeat() {
        console.on(AgentPaths.RENEW, x -> FakeConsole.Reply.problem(500, "ca-down", "CA unavailable"));
        HeartbeatLoop loop = loop();
        clock.set(new RenewalPolicy().renewAt(stateDir.credentials().certificate()));

        HeartbeatOutcome outcome = loop.runOnce();

        assertTrue(outcome.reported());
        assertEquals(HeartbeatOutcome.Renewal.FAILED, outcome.renewal());
        assertTrue(stateDir.status().lastError().startsWith("certificate renewal failed: "), stateDir.status().lastError());
        loop.runOnce();
        assertEquals(2, console.exchanges(AgentPaths.RENEW).size());
    }

    @Test
    void expiredCertificateIsReportedWithoutCallingTheConsole() {
        clock.set(stateDir.requireIdentity().certificateNotAfter());

        HeartbeatOutcome outcome = loop().runOnce();

        assertEquals(HeartbeatOutcome.Result.FAILED, outcome.result());
        assertTrue(outcome.error().startsWith("the sensor certificate expired at "), outcome.error());
        assertEquals(0, console.exchanges(AgentPaths.HEARTBEAT).size());
    }

    @Test
    void intervalAskedByTheConsoleIsAdoptedAndKept() {
        console.heartbeatIntervalSeconds(60);

        Duration next = loop().runOnce().nextDelay();

        assertEquals(60, stateDir.requireIdentity().heartbeatIntervalSeconds());
        assertTrue(next.compareTo(Duration.ofSeconds(54)) >= 0 && next.compareTo(Duration.ofSeconds(66)) <= 0, next.toString());
    }

    @Test
    void intervalOverrideWinsOverTheConsole() {
        console.heartbeatIntervalSeconds(60);

        Duration next = loop(config().withHeartbeatInterval(Duration.ofSeconds(10))).runOnce().nextDelay();

        assertEquals(30, stateDir.requireIdentity().heartbeatIntervalSeconds());
        assertTrue(next.compareTo(Duration.ofSeconds(9)) >= 0 && next.compareTo(Duration.ofSeconds(11)) <= 0, next.toString());
    }

    @Test
    void reconnectWhileRunningIsPickedUpAtTheNextHeartbeat() {
        HeartbeatLoop loop = loop();
        loop.runOnce();
        BigInteger before = console.exchanges(AgentPaths.HEARTBEAT).getLast().clientCertificate().getSerialNumber();

        new io.sensorfleet.agent.Agent(config(), io.sensorfleet.agent.AgentLog.discard()).enroller()
                .connect(ConnectionString.parse(console.connectionString()), true);
        loop.runOnce();

        BigInteger after = console.exchanges(AgentPaths.HEARTBEAT).getLast().clientCertificate().getSerialNumber();
        assertNotEquals(before, after);
        assertEquals(stateDir.credentials().certificate().getSerialNumber(), after);
    }

    @Test
    void notConnectedAgentWaitsWithoutCallingAnyone() {
        AgentConfig empty = Agents.config(tmp.resolve("empty"), clock);
        HeartbeatLoop loop = loop(empty, new StateDir(empty.stateDir()));

        HeartbeatOutcome outcome = loop.runOnce();
        loop.runOnce();

        assertEquals(HeartbeatOutcome.Result.NOT_CONNECTED, outcome.result());
        assertNull(outcome.address());
        assertEquals(HeartbeatLoop.NOT_CONNECTED_POLL, outcome.nextDelay());
        assertEquals(List.of("INFO not connected: waiting for 'sensor-agent connect <connection-string>' first"),
                log.lines(), "said once, not every poll");
        assertFalse(Files.exists(empty.stateDir()));
    }

    @Test
    void runReturnsPromptlyWhenStopped() throws InterruptedException {
        AgentConfig empty = Agents.config(tmp.resolve("empty"), clock);
        HeartbeatLoop loop = loop(empty, new StateDir(empty.stateDir()));
        Thread daemon = new Thread(loop::run);
        daemon.start();

        loop.stop();
        daemon.join(Duration.ofSeconds(5));

        assertFalse(daemon.isAlive());
    }

    @Test
    void theConsoleFoundBackByTheWorkPollIsReportedToAtOnceNotAtTheNextTurn() throws InterruptedException {
        AgentConfig config = config();
        ConsoleSession session = session(config, stateDir);
        HeartbeatLoop loop = new HeartbeatLoop(config, stateDir, session, Health::ok, new Random(11), log);
        Thread daemon = new Thread(loop::run);
        daemon.start();
        try {
            awaitHeartbeats(1, Duration.ofSeconds(10));
            // The next one is due in about 30 s; the work loop's "console is back" must not wait for it.
            session.consoleBack().wake();
            awaitHeartbeats(2, Duration.ofSeconds(10));
        } finally {
            loop.stop();
            daemon.join(Duration.ofSeconds(5));
        }
        assertFalse(daemon.isAlive());
        assertEquals(2, console.exchanges(AgentPaths.HEARTBEAT).size(), "one early heartbeat, not a loop of them");
    }

    private void awaitHeartbeats(int count, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (console.exchanges(AgentPaths.HEARTBEAT).size() < count) {
            assertTrue(System.nanoTime() < deadline, "heartbeat " + count + " did not come within " + within);
            Thread.sleep(20);
        }
    }

    private AgentConfig config() {
        return Agents.config(stateDir.path(), clock);
    }

    private HeartbeatLoop loop() {
        return loop(config());
    }

    private HeartbeatLoop loop(AgentConfig config) {
        return loop(config, stateDir);
    }

    private HeartbeatLoop loop(AgentConfig config, StateDir dir) {
        return new HeartbeatLoop(config, dir, session(config, dir), Health::ok, new Random(11), log);
    }

    private ConsoleSession session(AgentConfig config, StateDir dir) {
        return new ConsoleSession(config, dir, new AgentTls(),
                new Renewer(dir, new CsrFactory(), new RenewalPolicy(), clock), new Random(11), log);
    }

    private static AgentAddress closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return new AgentAddress("127.0.0.1", socket.getLocalPort());
        }
    }
}
