package io.sensorfleet.agent.work;

import io.sensorfleet.agent.Agent;
import io.sensorfleet.agent.AgentLog;
import io.sensorfleet.agent.AgentRuntime;
import io.sensorfleet.agent.backup.BackupLoop;
import io.sensorfleet.agent.settings.SettingsLoop;
import io.sensorfleet.agent.session.Backoff;
import io.sensorfleet.agent.testing.Agents;
import io.sensorfleet.agent.testing.FakeConsole;
import io.sensorfleet.agent.testing.TestCa;
import io.sensorfleet.agent.update.Installer;
import io.sensorfleet.protocol.v1.AgentPaths;
import io.sensorfleet.protocol.v1.enrollment.ConnectionString;
import io.sensorfleet.protocol.v1.heartbeat.Health;
import io.sensorfleet.protocol.v1.settings.SettingsAck;
import io.sensorfleet.protocol.v1.settings.SettingsPush;
import io.sensorfleet.protocol.v1.work.Work;
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
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkLoopTest {
    private static TestCa ca;

    @TempDir
    Path tmp;
    private FakeConsole console;
    private Agent agent;

    @BeforeAll
    static void createCa() {
        ca = TestCa.create("Console CA");
    }

    @BeforeEach
    void connect() {
        console = FakeConsole.start(ca, Clock.systemUTC());
        console.on(AgentPaths.SETTINGS_ACK, x -> new FakeConsole.Reply(204, "application/json", "", Map.of()));
        agent = Agents.connected(tmp.resolve("state"), Clock.systemUTC(), console);
    }

    @AfterEach
    void stop() {
        agent.session().close();
        console.close();
    }

    private WorkLoop loop(Duration pollWait) {
        return new WorkLoop(agent.session(), agent.settingsLoop(), agent.backupLoop(), agent.updateLoop(),
                AgentLog.discard(), pollWait);
    }

    @Test
    void settingsThatArriveOnTheWorkChannelAreAppliedAndAcknowledged() {
        console.offerWork(new Work(new SettingsPush(7, Map.of("time.timeZone", "Europe/Berlin")), null, null));

        assertEquals(WorkLoop.Outcome.WORKED, loop(Duration.ofSeconds(1)).runOnce());

        List<FakeConsole.Exchange> acks = console.exchanges(AgentPaths.SETTINGS_ACK);
        assertEquals(1, acks.size());
        SettingsAck ack = FakeConsole.read(acks.get(0).body(), SettingsAck.class);
        assertEquals(7, ack.revision());
        assertTrue(ack.applied());
        assertTrue(console.exchanges(AgentPaths.WORK).get(0).query().contains("settingsKnown=-1"),
                "the first poll asks for whatever revision the console has");
    }

    @Test
    void theNextPollTellsTheConsoleTheRevisionTheSensorHasNow() {
        console.offerWork(new Work(new SettingsPush(7, Map.of("time.timeZone", "Europe/Berlin")), null, null));
        WorkLoop loop = loop(Duration.ofSeconds(1));

        loop.runOnce();
        assertEquals(WorkLoop.Outcome.IDLE, loop.runOnce());

        List<FakeConsole.Exchange> polls = console.exchanges(AgentPaths.WORK);
        assertTrue(polls.get(1).query().contains("settingsKnown=7"), polls.get(1).query());
        assertTrue(polls.get(1).query().contains("waitSeconds=1"), polls.get(1).query());
    }

    @Test
    void aConsoleWithoutTheWorkChannelGetsThePerFeatureLongPollsInstead() throws Exception {
        console.on(AgentPaths.WORK, x -> FakeConsole.Reply.problem(404, "not-found", "no such path"));
        console.on(AgentPaths.SETTINGS, x -> new FakeConsole.Reply(204, "application/json", "", Map.of()));
        console.on(AgentPaths.BACKUP_TASKS, x -> new FakeConsole.Reply(204, "application/json", "", Map.of()));
        console.on(AgentPaths.UPDATE_TASKS, x -> new FakeConsole.Reply(204, "application/json", "", Map.of()));
        WorkLoop loop = loop(Duration.ofSeconds(1));
        assertEquals(WorkLoop.Outcome.NOT_SUPPORTED, loop.runOnce());

        Thread running = Thread.ofPlatform().start(loop::run);
        Instant deadline = Instant.now().plusSeconds(10);
        while (Instant.now().isBefore(deadline) && (console.exchanges(AgentPaths.SETTINGS).isEmpty()
                || console.exchanges(AgentPaths.BACKUP_TASKS).isEmpty()
                || console.exchanges(AgentPaths.UPDATE_TASKS).isEmpty())) {
            Thread.sleep(50);
        }
        loop.stop();
        running.join(Duration.ofSeconds(15));

        assertTrue(loop.fellBack());
        assertFalse(running.isAlive(), "stopping the work loop stops the per-feature polls too");
        assertFalse(console.exchanges(AgentPaths.SETTINGS).isEmpty());
        assertFalse(console.exchanges(AgentPaths.BACKUP_TASKS).isEmpty());
        assertFalse(console.exchanges(AgentPaths.UPDATE_TASKS).isEmpty());
    }

    @Test
    void aConsoleThatAnswersLongPollsAtOnceDoesNotMakeTheSensorSpin() throws Exception {
        console.longestHold(Duration.ZERO);
        WorkLoop loop = loop(Duration.ofSeconds(25));

        Thread running = Thread.ofPlatform().start(loop::run);
        Thread.sleep(3_000);
        loop.stop();
        running.join(Duration.ofSeconds(10));

        assertEquals(1, console.exchanges(AgentPaths.WORK).size(),
                "an empty answer before the wait is followed by a pause (5 s at most), not the next poll");
    }

    @Test
    void anIdleAgentKeepsAtMostTwoConnectionsToTheConsole() throws Exception {
        Agent fast = new Agent(Agents.config(tmp.resolve("fast"), Clock.systemUTC())
                .withHeartbeatInterval(Duration.ofMillis(300)), AgentLog.discard());
        fast.enroller().connect(ConnectionString.parse(console.connectionString()), false);
        // The console holds the long-poll the whole time, as a console without work does.
        console.longestHold(Duration.ofSeconds(30));
        int before = console.exchanges().size();
        AgentRuntime runtime = fast.runtime(Health::ok, Installer.StageHook.NONE);

        runtime.start();
        Thread.sleep(4_000);
        runtime.stop();
        assertEquals(List.of(), runtime.join(Duration.ofSeconds(10)), "every loop ends on stop");

        List<FakeConsole.Exchange> idle = console.exchanges().subList(before, console.exchanges().size());
        assertTrue(idle.stream().filter(e -> e.path().equals(AgentPaths.HEARTBEAT)).count() >= 5, idle.toString());
        assertTrue(idle.stream().anyMatch(e -> e.path().equals(AgentPaths.WORK)), idle.toString());
        long connections = idle.stream().mapToInt(FakeConsole.Exchange::remotePort).distinct().count();
        assertTrue(connections <= 2, "heartbeat and work long-poll share one client: " + connections + " connections");
    }

    @Test
    void aPollAnsweredAgainAfterFailuresWakesTheHeartbeatOnce() throws InterruptedException {
        WorkLoop loop = loop(Duration.ofSeconds(1));
        console.on(AgentPaths.WORK, x -> new FakeConsole.Reply(204, "application/json", "", Map.of()));
        assertEquals(WorkLoop.Outcome.IDLE, loop.runOnce());
        assertFalse(agent.session().consoleBack().await(Duration.ZERO), "nothing was lost: no early heartbeat");

        console.on(AgentPaths.WORK, x -> FakeConsole.Reply.problem(503, "unavailable", "starting"));
        assertEquals(WorkLoop.Outcome.UNREACHABLE, loop.runOnce());
        assertFalse(agent.session().consoleBack().await(Duration.ZERO), "still lost");

        console.on(AgentPaths.WORK, x -> new FakeConsole.Reply(204, "application/json", "", Map.of()));
        assertEquals(WorkLoop.Outcome.IDLE, loop.runOnce());
        assertTrue(agent.session().consoleBack().await(Duration.ZERO), "the console is back: heartbeat now");
        assertEquals(WorkLoop.Outcome.IDLE, loop.runOnce());
        assertFalse(agent.session().consoleBack().await(Duration.ZERO), "once per return, not per poll");
    }

    @Test
    void aStoppedConsoleIsPolledAgainWithinSecondsNotAfterTheWholeBackoff() {
        WorkLoop loop = loop(Duration.ofSeconds(1));
        console.close();   // nothing listens any more: every poll is refused
        for (int i = 0; i < 8; i++) {
            assertEquals(WorkLoop.Outcome.UNREACHABLE, loop.runOnce());
        }
        for (int i = 0; i < 200; i++) {
            Duration pause = loop.pause(WorkLoop.Outcome.UNREACHABLE);
            assertTrue(pause.compareTo(Backoff.REFUSED_CAP) <= 0, pause.toString());
        }
    }
}
