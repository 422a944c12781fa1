package io.sensorfleet.agent.backup;

import io.sensorfleet.agent.Agent;
import io.sensorfleet.agent.AgentConfig;
import io.sensorfleet.agent.AgentLog;
import io.sensorfleet.agent.testing.Agents;
import io.sensorfleet.agent.testing.FakeConsole;
import io.sensorfleet.agent.testing.TestCa;
import io.sensorfleet.protocol.v1.enrollment.ConnectionString;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/** A state directory with an identity (enrolled once against a fake console), for backup tests. */
final class ConnectedSensor {
    private ConnectedSensor() {
    }

    static AgentConfig connect(Path stateDir, Clock clock) {
        try (FakeConsole console = FakeConsole.start(TestCa.create("Backup test CA"), Clock.systemUTC())) {
            AgentConfig config = Agents.config(stateDir, clock);
            new Agent(config, AgentLog.discard()).enroller().connect(ConnectionString.parse(console.connectionString()), false);
            StateLayout.ensure(stateDir);
            return config;
        }
    }

    static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
