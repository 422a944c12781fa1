package io.sensorfleet.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.sensorfleet.agent.AgentConfig;
import io.sensorfleet.agent.testing.ConsoleJson;
import io.sensorfleet.agent.AgentLog;
import io.sensorfleet.agent.Agent;
import io.sensorfleet.agent.testing.Agents;
import io.sensorfleet.agent.testing.FakeConsole;
import io.sensorfleet.agent.testing.TestCa;
import io.sensorfleet.protocol.v1.enrollment.ConnectionString;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackupCommandTest {
    @TempDir
    Path state;
    AgentConfig config;

    @BeforeEach
    void connect() throws Exception {
        try (FakeConsole console = FakeConsole.start(TestCa.create("Console CA"), Clock.systemUTC())) {
            config = Agents.config(state, Clock.systemUTC());
            new Agent(config, AgentLog.discard()).enroller().connect(ConnectionString.parse(console.connectionString()), false);
        }
        Files.createDirectories(state.resolve("config"));
        Files.writeString(state.resolve("config/time.conf"), "time.timeZone=\"UTC\"\n");
    }

    @Test
    void backupPrintsTheFileAndChecksumAndRestoreBringsItBack() throws Exception {
        CliRun backup = CliRun.of(config, "backup", "--state-dir", state.toString(), "--json");
        assertEquals(0, backup.exitCode(), backup.err());
        JsonNode view = ConsoleJson.mapper().readTree(backup.out());
        Path file = Path.of(view.get("file").asText());
        assertTrue(file.getFileName().toString().contains("-backup-version-9.9.9-"), file.toString());
        assertEquals(64, view.get("sha256").asText().length());

        Files.writeString(state.resolve("config/time.conf"), "time.timeZone=\"Asia/Tokyo\"\n");
        CliRun restore = CliRun.of(config, "restore", file.toString(), "--state-dir", state.toString());
        assertEquals(0, restore.exitCode(), restore.err());
        assertTrue(restore.out().contains("captures and logs kept"), restore.out());
        assertEquals("time.timeZone=\"UTC\"\n", Files.readString(state.resolve("config/time.conf")));
    }

    @Test
    void restoreOfABackupOfAnotherVersionFailsWithOneLineNamingBothAndChangesNothing() throws Exception {
        assertEquals(0, CliRun.of(config, "backup", "--state-dir", state.toString()).exitCode());
        Files.writeString(state.resolve("config/time.conf"), "changed\n");
        CliRun r = CliRun.of(config.withSoftwareVersion("9.10.0"), "restore", "--latest", "--state-dir", state.toString());
        assertEquals(AgentCli.FAILED, r.exitCode());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().contains("version 9.9.9") && r.err().contains("version 9.10.0"), r.err());
        assertEquals("changed\n", Files.readString(state.resolve("config/time.conf")));
    }

    @Test
    void restoreNeedsAFileOrLatest() {
        CliRun r = CliRun.of(config, "restore", "--state-dir", state.toString());
        assertEquals(AgentCli.INVALID_INPUT, r.exitCode());
        assertTrue(r.err().contains("--latest"), r.err());
    }

    @Test
    void listShowsTheLocalBackupsNewestFirst() {
        CliRun.of(config, "backup", "--state-dir", state.toString());
        CliRun list = CliRun.of(config, "backup", "--list", "--state-dir", state.toString());
        assertEquals(0, list.exitCode(), list.err());
        assertTrue(list.out().contains("-backup-version-9.9.9-") && list.out().contains("sha256"), list.out());
    }
}
