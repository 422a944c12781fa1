package io.sensorfleet.agent.testing;

import io.sensorfleet.agent.Agent;
import io.sensorfleet.agent.AgentConfig;
import io.sensorfleet.agent.AgentLog;
import io.sensorfleet.protocol.v1.enrollment.ConnectionString;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/** Agents configured for tests: short timeouts, a given clock and state dir. */
public final class Agents {
    private Agents() {
    }

    public static AgentConfig config(Path stateDir, Clock clock) {
        return new AgentConfig(stateDir, "9.9.9", "test-host", clock, Optional.empty(), Duration.ofSeconds(5),
                Duration.ofSeconds(1), Duration.ofSeconds(60));
    }

    /** An agent already connected to {@code console}. */
    public static Agent connected(Path stateDir, Clock clock, FakeConsole console) {
        Agent agent = new Agent(config(stateDir, clock), AgentLog.discard());
        agent.enroller().connect(ConnectionString.parse(console.connectionString()), false);
        return agent;
    }
}
