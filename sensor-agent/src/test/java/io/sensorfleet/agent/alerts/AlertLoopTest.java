package io.sensorfleet.agent.alerts;

import io.sensorfleet.agent.Agent;
import io.sensorfleet.agent.AgentConfig;
import io.sensorfleet.agent.client.AgentTls;
import io.sensorfleet.agent.identity.CsrFactory;
import io.sensorfleet.agent.identity.RenewalPolicy;
import io.sensorfleet.agent.session.ConsoleSession;
import io.sensorfleet.agent.session.Renewer;
import io.sensorfleet.agent.identity.StateDir;
import io.sensorfleet.agent.testing.Agents;
import io.sensorfleet.agent.testing.FakeConsole;
import io.sensorfleet.agent.testing.MutableClock;
import io.sensorfleet.agent.testing.RecordingLog;
import io.sensorfleet.agent.testing.TestCa;
import io.sensorfleet.protocol.v1.AgentPaths;
import io.sensorfleet.protocol.v1.alerts.AlertReceipt;
import io.sensorfleet.protocol.v1.alerts.AlertReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AlertLoopTest {
    private static TestCa ca;

    @TempDir
    Path tmp;

    private final MutableClock clock = new MutableClock(Instant.now());
    private final RecordingLog log = new RecordingLog();
    private FakeConsole console;
    private Agent agent;

    @BeforeAll
    static void consoleCa() {
        ca = TestCa.create("Console CA");
    }

    @BeforeEach
    void connectedAgent() {
        console = FakeConsole.start(ca, Clock.systemUTC());
        console.on(AgentPaths.ALERTS, x -> FakeConsole.ok(new AlertReceipt(
                FakeConsole.read(x.body(), AlertReport.class).alertId(), false)));
        agent = Agents.connected(tmp.resolve("state"), clock, console);
    }

    @AfterEach
    void stopConsole() {
        console.close();
    }

    private AlertLoop loop() {
        AgentConfig config = Agents.config(agent.stateDir().path(), clock);
        StateDir dir = new StateDir(config.stateDir());
        ConsoleSession session = new ConsoleSession(config, dir, new AgentTls(),
                new Renewer(dir, new CsrFactory(), new RenewalPolicy(), clock), new Random(7), log);
        return new AlertLoop(config, dir, agent.alertOutbox(), session, log);
    }

    private AlertReport queue(String title) {
        AlertReport a = new AlertReport(UUID.randomUUID().toString(), title, AlertReport.Severity.CRITICAL,
                "Policy Violation", "Modbus", "10.0.0.1", "plc-1", clock.instant());
        agent.alertOutbox().enqueue(a);
        clock.advance(Duration.ofMillis(1));
        return a;
    }

    @Test
    void queuedAlertsGoOutOverMutualTlsOldestFirstAndLeaveTheOutbox() {
        AlertReport first = queue("first");
        AlertReport second = queue("second");

        AlertOutcome outcome = loop().runOnce();

        assertEquals(2, outcome.sent());
        assertEquals(AlertLoop.POLL, outcome.nextDelay());
        List<FakeConsole.Exchange> sent = console.exchanges(AgentPaths.ALERTS);
        assertEquals(List.of(first, second), sent.stream().map(x -> FakeConsole.read(x.body(), AlertReport.class)).toList());
        assertNotNull(sent.getFirst().clientCertificate(), "sent with the sensor certificate");
        assertTrue(agent.alertOutbox().isEmpty());
    }

    @Test
    void unreachableConsoleKeepsTheAlertsAndBacksOffUntilItAnswers() {
        queue("while the console is down");
        console.on(AgentPaths.ALERTS, x -> FakeConsole.Reply.problem(503, "down", "maintenance")
                .withHeader("Retry-After", "3"));
        AlertLoop loop = loop();

        AlertOutcome failed = loop.runOnce();

        assertEquals(0, failed.sent());
        assertEquals(1, failed.remaining());
        assertEquals(Duration.ofSeconds(3), failed.nextDelay(), "the console's Retry-After is honoured");
        assertEquals(1, agent.alertOutbox().pending().size());

        console.on(AgentPaths.ALERTS, x -> FakeConsole.ok(new AlertReceipt("x", true)));
        AlertOutcome recovered = loop.runOnce();

        assertEquals(1, recovered.sent());
        assertTrue(agent.alertOutbox().isEmpty());
    }

    @Test
    void alertTheConsoleRefusesAsInvalidIsSetAsideAndTheRestStillGoes() {
        queue("invalid");
        queue("valid");
        console.on(AgentPaths.ALERTS, x -> FakeConsole.read(x.body(), AlertReport.class).title().equals("invalid")
                ? FakeConsole.Reply.problem(400, "invalid-request", "title: bad")
                : FakeConsole.ok(new AlertReceipt("v", false)));

        AlertOutcome outcome = loop().runOnce();

        assertEquals(1, outcome.sent());
        assertEquals(1, outcome.rejected());
        assertTrue(agent.alertOutbox().isEmpty());
        assertTrue(log.lines().stream().anyMatch(l -> l.startsWith("WARN console refused alert")), log.lines().toString());
    }

    @Test
    void emptyOutboxCallsNobody() {
        AlertOutcome outcome = loop().runOnce();

        assertEquals(AlertLoop.POLL, outcome.nextDelay());
        assertEquals(0, console.exchanges(AgentPaths.ALERTS).size());
    }
}
