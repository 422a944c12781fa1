package io.sensorfleet.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.sensorfleet.agent.testing.ConsoleJson;
import io.sensorfleet.agent.alerts.AlertOutbox;
import io.sensorfleet.agent.testing.Agents;
import io.sensorfleet.agent.testing.MutableClock;
import io.sensorfleet.protocol.v1.alerts.AlertReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AlertCommandTest {
    @TempDir
    Path tmp;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-05-01T12:00:00Z"));

    private CliRun run(String... args) {
        return CliRun.of(Agents.config(tmp.resolve("state"), clock), args);
    }

    @Test
    void alertIsQueuedWithEveryFieldGiven() throws Exception {
        CliRun run = run("alert", "--json", "--state-dir", tmp.resolve("state").toString(), "--title", "Unauthorized PLC stop",
                "--severity", "critical", "--engine", "Policy Violation", "--protocol", "Modbus", "--source", "10.0.0.9",
                "--destination", "plc-3");

        assertEquals(AgentCli.OK, run.exitCode(), run.err());
        JsonNode json = ConsoleJson.mapper().readTree(run.out());
        assertEquals(1, json.get("queued").asInt());
        AlertReport queued = new AlertOutbox(tmp.resolve("state")).pending().getFirst().alert();
        assertEquals(json.get("alertId").asText(), queued.alertId());
        assertEquals(AlertReport.Severity.CRITICAL, queued.severity());
        assertEquals("Unauthorized PLC stop", queued.title());
        assertEquals("Policy Violation", queued.engine());
        assertEquals("Modbus", queued.protocol());
        assertEquals("10.0.0.9", queued.source());
        assertEquals("plc-3", queued.destination());
        assertEquals(clock.instant(), queued.detectedAt());
    }

    @Test
    void unknownSeverityIsAOneLineErrorAndQueuesNothing() {
        CliRun run = run("alert", "--state-dir", tmp.resolve("state").toString(), "--title", "x", "--severity", "severe");

        assertEquals(AgentCli.INVALID_INPUT, run.exitCode());
        assertEquals(1, run.errLines().size(), run.err());
        assertTrue(run.err().startsWith("error: --severity must be Warning, Minor, Major or Critical"), run.err());
        assertFalse(Files.exists(tmp.resolve("state")));
    }

    @Test
    void missingTitleAndMultiLineTitleAreRefused() {
        CliRun missing = run("alert", "--state-dir", tmp.resolve("state").toString(), "--severity", "minor");
        CliRun twoLines = run("alert", "--state-dir", tmp.resolve("state").toString(), "--severity", "minor",
                "--title", "one\ntwo");

        assertEquals(AgentCli.INVALID_INPUT, missing.exitCode());
        assertTrue(missing.err().contains("--title"), missing.err());
        assertEquals(AgentCli.INVALID_INPUT, twoLines.exitCode());
        assertEquals(List.of(), new AlertOutbox(tmp.resolve("state")).pending());
    }
}
