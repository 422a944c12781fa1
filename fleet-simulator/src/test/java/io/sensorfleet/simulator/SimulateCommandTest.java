package io.sensorfleet.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.sensorfleet.agent.AgentConfig;
import io.sensorfleet.agent.testing.ConsoleJson;
import io.sensorfleet.agent.cli.AgentCli;
import io.sensorfleet.agent.testing.FakeConsole;
import io.sensorfleet.agent.testing.TestCa;
import io.sensorfleet.protocol.v1.AgentPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulateCommandTest {
    @TempDir
    Path tmp;

    @Test
    void simulateWithoutASourceOfSensorsIsInvalidInputInOneLine() {
        CliRun run = CliRun.of(AgentConfig.defaults(), "--count", "10");

        assertEquals(AgentCli.INVALID_INPUT, run.exitCode());
        assertEquals(1, run.errLines().size(), run.err());
        assertTrue(run.err().startsWith("error: give --connection-strings FILE, --console URL or --identities FILE"),
                run.err());
    }

    @Test
    void aNegativeDurationIsRefusedBeforeAnythingIsSent() {
        CliRun run = CliRun.of(AgentConfig.defaults(), "--count", "1", "--connection-strings",
                tmp.resolve("none.txt").toString(), "--duration-seconds", "-5");

        assertEquals(AgentCli.INVALID_INPUT, run.exitCode());
        assertTrue(run.err().contains("--duration-seconds must not be negative"), run.err());
    }

    @Test
    void simulatedSensorEnrollsReportsAndTheReportSaysSo() throws Exception {
        TestCa ca = TestCa.create("Console CA");
        try (FakeConsole console = FakeConsole.start(ca, Clock.systemUTC())) {
            Path strings = Files.writeString(tmp.resolve("strings.txt"), console.connectionString() + "\n");
            Path report = tmp.resolve("out/report.json");

            CliRun run = CliRun.of(AgentConfig.defaults(), "--count", "1", "--connection-strings",
                    strings.toString(), "--interval-seconds", "1", "--ramp-seconds", "0", "--duration-seconds", "2",
                    "--report", report.toString());

            assertEquals(AgentCli.OK, run.exitCode(), run.err());
            JsonNode json = ConsoleJson.mapper().readTree(report.toFile());
            assertEquals(1, json.at("/enrollment/enrolled").asInt());
            JsonNode steady = json.at("/phases/0");
            assertEquals("steady", steady.get("name").asText());
            assertEquals(1, steady.get("sensorsReported").asInt());
            assertFalse(console.exchanges(AgentPaths.HEARTBEAT).isEmpty());
            assertTrue(run.out().contains("enrolled 1 of 1"), run.out());
        }
    }
}
