package io.sensorfleet.console.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.sensorfleet.console.support.TestSensor.JSON;

/**
 * The real agent through its launcher: enrolled with a connection string ({@code connect}), then
 * running as a daemon ({@code run}) in its own state directory, as on a sensor.
 */
public final class AgentDaemon implements AutoCloseable {
    private final Path launcher = ThrowawayPostgres.repoRoot().resolve("sensor-agent/bin/sensor-agent");
    private final Path stateDir;
    private final String sensorId;
    private Process daemon;

    private AgentDaemon(Path stateDir, String sensorId) {
        this.stateDir = stateDir;
        this.sensorId = sensorId;
    }

    /** Enrolls with the connection string and starts the daemon. */
    public static AgentDaemon connectAndRun(String connectionString) throws IOException {
        Path stateDir = Files.createTempDirectory("agent-").resolve("state");
        Path launcher = ThrowawayPostgres.repoRoot().resolve("sensor-agent/bin/sensor-agent");
        Cli.Result connect = Cli.run(List.of(launcher.toString(), "connect", connectionString, "--state-dir",
                stateDir.toString()), null);
        if (connect.exit() != 0) {
            throw new IllegalStateException("agent connect failed: " + connect.all());
        }
        String id = JSON.readTree(Files.readString(stateDir.resolve("agent.json"))).get("sensorId").asText();
        AgentDaemon agent = new AgentDaemon(stateDir, id);
        agent.daemon = new ProcessBuilder(launcher.toString(), "run", "--state-dir", stateDir.toString())
                .redirectErrorStream(true).redirectOutput(agent.logFile().toFile()).start();
        return agent;
    }

    public String sensorId() {
        return sensorId;
    }

    /** Raises an alert with the agent's CLI; the running daemon delivers it (and keeps it until the console has it). */
    public void alert(String title) {
        Cli.Result r = Cli.run(List.of(launcher.toString(), "alert", "--state-dir", stateDir.toString(), "--title", title,
                "--severity", "Major", "--engine", "Policy Violation", "--protocol", "S7", "--source", "10.9.8.7",
                "--destination", "plc-9"), null);
        if (r.exit() != 0) {
            throw new IllegalStateException("agent alert failed: " + r.all());
        }
    }

    /** Alerts raised but not yet taken by the console. */
    public long queuedAlerts() throws IOException {
        Path outbox = stateDir.resolve("outbox");
        if (!Files.isDirectory(outbox)) {
            return 0;
        }
        try (var files = Files.list(outbox)) {
            return files.filter(p -> p.toString().endsWith(".json")).count();
        }
    }

    private Path logFile() {
        return stateDir.resolveSibling("run.log");
    }

    public String log() {
        try {
            return Files.readString(logFile());
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Stops the daemon and removes its directory (walked without following links). */
    @Override
    public void close() {
        if (daemon != null) {
            daemon.destroy();
            try {
                if (!daemon.waitFor(15, TimeUnit.SECONDS)) {
                    daemon.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        removeTree(stateDir.getParent());
    }

    static void removeTree(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            System.err.println("could not remove " + dir + ": " + e.getMessage());
        }
    }
}
