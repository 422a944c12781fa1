package io.sensorfleet.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.sensorfleet.agent.Agent;
import io.sensorfleet.agent.testing.ConsoleJson;
import io.sensorfleet.agent.AgentVersion;
import io.sensorfleet.agent.testing.Agents;
import io.sensorfleet.agent.testing.FakeConsole;
import io.sensorfleet.agent.testing.MutableClock;
import io.sensorfleet.agent.testing.TestCa;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatusCommandTest {
    @TempDir
    Path tmp;

    private Path stateDir;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-05-01T12:00:00Z"));

    @BeforeEach
    void stateDir() {
        stateDir = tmp.resolve("state");
    }

    @Test
    void statusOnAnEmptyStateDirFailsClearly() {
        CliRun run = run("status", "--state-dir", stateDir.toString());

        assertEquals(AgentCli.NOT_CONNECTED, run.exitCode());
        assertEquals(List.of("error: not connected: run 'sensor-agent connect <connection-string>' first"), run.errLines());
        assertEquals("", run.out());
        assertFalse(Files.exists(stateDir));
    }

    @Test
    void statusShowsIdentityAndLastReportAsJson() throws Exception {
        try (FakeConsole console = FakeConsole.start(TestCa.create("Console CA"), java.time.Clock.systemUTC())) {
            Agent agent = Agents.connected(stateDir, clock, console);
            agent.heartbeatLoop().runOnce();

            CliRun run = run("status", "--json", "--state-dir", stateDir.toString());

            assertEquals(AgentCli.OK, run.exitCode(), run.err());
            JsonNode json = ConsoleJson.mapper().readTree(run.out());
            assertEquals("sensor-1", json.get("sensorId").asText());
            assertEquals("Sensor One", json.get("sensorName").asText());
            assertEquals(console.address().toString(), json.get("addresses").get(0).asText());
            assertEquals(clock.instant().toString(), json.get("lastSuccessAt").asText());
            assertEquals(0, json.get("consecutiveFailures").asInt());
            assertEquals(Agents.config(stateDir, clock).softwareVersion(), json.get("softwareVersion").asText(),
                    "never updated: the version the agent was built as");
            assertTrue(json.get("lastError").isNull());
            assertEquals(agent.stateDir().requireIdentity().certificateNotAfter().toString(),
                    json.get("certificateNotAfter").asText());
        }
    }

    @Test
    void statusTextSaysNeverBeforeTheFirstReport() {
        try (FakeConsole console = FakeConsole.start(TestCa.create("Console CA"), java.time.Clock.systemUTC())) {
            Agents.connected(stateDir, clock, console);

            CliRun run = run("status", "--state-dir", stateDir.toString());

            assertEquals(AgentCli.OK, run.exitCode(), run.err());
            assertTrue(run.out().startsWith("sensor:               Sensor One (sensor id sensor-1)\n"), run.out());
            assertTrue(run.out().contains("last report:          never\n"), run.out());
            assertTrue(run.out().contains("last error:           none\n"), run.out());
        }
    }

    @Test
    void versionPrintsTheProductVersionOfTheBuild() {
        CliRun run = run("--version");

        assertEquals(AgentCli.OK, run.exitCode());
        assertEquals("sensor-agent " + AgentVersion.current() + "\n", run.out());
        // The pom's project.version, handed to the test by the build: the agent reports what was built.
        assertEquals(System.getProperty("sensorfleet.build.version"), AgentVersion.current());
    }

    @Test
    void unknownCommandIsOneLineUsageError() {
        CliRun run = run("frobnicate");

        assertEquals(AgentCli.INVALID_INPUT, run.exitCode());
        assertEquals(1, run.errLines().size(), run.err());
        assertTrue(run.err().startsWith("error: "), run.err());
    }

    @Test
    void intervalBelowOneSecondIsRefusedBeforeStarting() {
        CliRun run = run("run", "--interval-seconds", "0", "--state-dir", stateDir.toString());

        assertEquals(AgentCli.INVALID_INPUT, run.exitCode());
        assertEquals(List.of("error: --interval-seconds must be at least 1 (see 'sensor-agent run --help')"), run.errLines());
        assertFalse(Files.exists(stateDir));
    }

    private CliRun run(String... args) {
        return CliRun.of(Agents.config(stateDir, clock), args);
    }
}
