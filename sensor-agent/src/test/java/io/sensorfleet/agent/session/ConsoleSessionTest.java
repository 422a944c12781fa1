package io.sensorfleet.agent.session;

import io.sensorfleet.agent.AgentConfig;
import io.sensorfleet.agent.AgentLog;
import io.sensorfleet.agent.client.AgentTls;
import io.sensorfleet.agent.client.ConsoleException;
import io.sensorfleet.agent.client.ConsoleUnreachableException;
import io.sensorfleet.agent.identity.CsrFactory;
import io.sensorfleet.agent.identity.RenewalPolicy;
import io.sensorfleet.agent.identity.StateDir;
import io.sensorfleet.agent.testing.Agents;
import io.sensorfleet.agent.testing.FakeConsole;
import io.sensorfleet.agent.testing.MutableClock;
import io.sensorfleet.agent.testing.TestCa;
import io.sensorfleet.protocol.v1.enrollment.AgentAddress;
import io.sensorfleet.protocol.v1.heartbeat.HeartbeatRequest;
import io.sensorfleet.protocol.v1.heartbeat.Health;
import io.sensorfleet.protocol.v1.Problem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsoleSessionTest {
    private static TestCa ca;

    @TempDir
    Path tmp;
    private final MutableClock clock = new MutableClock(Instant.now());
    private FakeConsole console;
    private StateDir stateDir;
    private ConsoleSession session;

    @BeforeAll
    static void createCa() {
        ca = TestCa.create("Console CA");
    }

    @BeforeEach
    void connect() {
        console = FakeConsole.start(ca, Clock.systemUTC());
        stateDir = Agents.connected(tmp.resolve("state"), clock, console).stateDir();
        session = session(Agents.config(stateDir.path(), clock));
    }

    @AfterEach
    void close() {
        session.close();
        console.close();
    }

    private ConsoleSession session(AgentConfig config) {
        return new ConsoleSession(config, stateDir, new AgentTls(),
                new Renewer(stateDir, new CsrFactory(), new RenewalPolicy(), clock), new Random(3), AgentLog.discard());
    }

    private void heartbeat() throws Exception {
        session.lease().console().heartbeat(session.address(), new HeartbeatRequest(clock.instant(), "9.9.9", Health.ok(), null));
    }

    @Test
    void theKeyAndCertificateAreReadOnceNotForEachRequest() throws Exception {
        ConsoleSession.Lease first = session.lease();
        heartbeat();
        Files.delete(stateDir.path().resolve(StateDir.KEY));
        Files.delete(stateDir.path().resolve(StateDir.CERTIFICATE));

        heartbeat();

        assertSame(first, session.lease(), "same identity on disk: the same session");
        assertEquals(2, console.exchanges(io.sensorfleet.protocol.v1.AgentPaths.HEARTBEAT).size());
    }

    @Test
    void aRenewedCertificateReplacesTheOldInMemoryForTheNextCall() throws Exception {
        var before = session.lease().credentials().certificate().getSerialNumber();
        clock.set(new RenewalPolicy().renewAt(session.lease().credentials().certificate()));

        assertTrue(session.renewIfDue(session.address()));
        heartbeat();

        var after = session.lease().credentials().certificate().getSerialNumber();
        assertNotEquals(before, after);
        assertEquals(after, console.exchanges(io.sensorfleet.protocol.v1.AgentPaths.HEARTBEAT).getLast()
                .clientCertificate().getSerialNumber());
    }

    @Test
    void anUnreachableAddressMovesEveryCallerOnAndAnErrorAnswerDoesNot() throws Exception {
        var id = stateDir.requireIdentity();
        stateDir.saveIdentity(new io.sensorfleet.agent.identity.Identity(id.sensorId(), id.sensorName(),
                java.util.List.of(console.address().toString(), "127.0.0.1:9"), id.heartbeatIntervalSeconds(),
                id.certificateNotAfter(), id.certificateFingerprint(), id.connectedAt()));
        AgentAddress first = session.address();

        session.failed(first, new ConsoleException(first, 503, new Problem(null, "busy", 503, null, null), null));
        assertEquals(first, session.address(), "that console answered: it is up");
        session.failed(first, new ConsoleUnreachableException(first, "refused", null));
        assertNotEquals(first, session.address());
    }

    @Test
    void backoffIsNeverShorterThanTheConsolesRetryAfter() {
        Duration d = session.backoff(1, Duration.ofSeconds(30), Duration.ofSeconds(20));
        assertTrue(d.compareTo(Duration.ofSeconds(20)) >= 0, d.toString());
        assertTrue(session.backoff(1, Duration.ofSeconds(30), null).compareTo(Duration.ofSeconds(1)) <= 0);
    }

    @Test
    void afterARefusedConnectionTheFleetRetriesWithinSecondsButAfterATimeoutItBacksOffToTheInterval() {
        AgentAddress a = session.address();
        var refused = new ConsoleUnreachableException(a, "cannot connect: connection refused", null, true);
        var timedOut = new ConsoleUnreachableException(a, "did not answer within 10 s", null);
        FailureStreak refusals = streak(10, true);
        FailureStreak timeouts = streak(10, false);
        Duration longest = Duration.ZERO;
        Duration longestTimedOut = Duration.ZERO;
        for (int i = 0; i < 500; i++) {
            Duration d = session.backoffAfter(refusals, Duration.ofSeconds(30), refused);
            longest = d.compareTo(longest) > 0 ? d : longest;
            Duration t = session.backoffAfter(timeouts, Duration.ofSeconds(30), timedOut);
            longestTimedOut = t.compareTo(longestTimedOut) > 0 ? t : longestTimedOut;
        }
        assertTrue(longest.compareTo(Backoff.REFUSED_CAP) <= 0, "refused: " + longest);
        assertTrue(longestTimedOut.compareTo(Backoff.REFUSED_CAP) > 0, "a timeout keeps the whole cap: " + longestTimedOut);
        // A shorter cap (a short heartbeat interval) is kept as it is.
        assertTrue(session.backoffAfter(refusals, Duration.ofSeconds(5), refused).compareTo(Duration.ofSeconds(5)) <= 0);
    }

    @Test
    void theFirstTimeoutOnARestartedConsoleIsRetriedWithinTheBaseWhateverTheRefusalsBeforeIt() {
        AgentAddress a = session.address();
        var timedOut = new ConsoleUnreachableException(a, "did not answer within 10 s", null);
        // Six refusals while the console restarted, then one handshake cut by the busy new console.
        FailureStreak restart = streak(6, true);
        restart.failed(false);
        Duration longest = Duration.ZERO;
        for (int i = 0; i < 500; i++) {
            Duration d = session.backoffAfter(restart, Duration.ofSeconds(30), timedOut);
            longest = d.compareTo(longest) > 0 ? d : longest;
        }
        assertTrue(longest.compareTo(Duration.ofSeconds(1)) <= 0, "the base (1 s), not 2^6 s: " + longest);
        // A second timeout doubles it, as in any streak of failures that load the console.
        restart.failed(false);
        Duration second = Duration.ZERO;
        for (int i = 0; i < 500; i++) {
            Duration d = session.backoffAfter(restart, Duration.ofSeconds(30), timedOut);
            second = d.compareTo(second) > 0 ? d : second;
        }
        assertTrue(second.compareTo(Duration.ofSeconds(1)) > 0 && second.compareTo(Duration.ofSeconds(2)) <= 0,
                second.toString());
    }

    private static FailureStreak streak(int failures, boolean refused) {
        FailureStreak s = new FailureStreak();
        for (int i = 0; i < failures; i++) {
            s.failed(refused);
        }
        return s;
    }
}
