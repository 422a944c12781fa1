package io.sensorfleet.agent.cli;

import io.sensorfleet.agent.Agent;
import io.sensorfleet.agent.AgentConfig;
import io.sensorfleet.agent.AgentLog;
import io.sensorfleet.agent.client.ConsoleClientFactory;
import io.sensorfleet.agent.settings.LevelledLog;
import io.sensorfleet.agent.settings.SettingsStore;
import io.sensorfleet.agent.AgentRuntime;
import io.sensorfleet.agent.backup.StateLayout;
import io.sensorfleet.agent.status.StatusServer;
import io.sensorfleet.agent.RunningVersion;
import io.sensorfleet.agent.update.HandOver;
import io.sensorfleet.agent.update.InstalledVersions;
import io.sensorfleet.agent.update.LocalUpdate;
import io.sensorfleet.agent.update.UpdateLoop;
import io.sensorfleet.agent.update.Installer;
import io.sensorfleet.agent.health.HealthConfig;
import io.sensorfleet.agent.health.HealthMonitor;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Reports to the console until stopped (SIGTERM or Ctrl-C): the daemon mode."
                + " Waits for 'connect' if the sensor is not connected yet.")
final class RunCommand implements Callable<Integer> {
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

    private final AgentConfig defaults;
    private final Installer.StageHook installStages;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    ApplianceOptions appliance;

    @Option(names = "--interval-seconds", paramLabel = "<seconds>",
            description = "Heartbeat interval, replacing the one the console asks for.")
    Integer intervalSeconds;

    @Option(names = "--status-port", paramLabel = "<port>",
            description = "Serve GET /status over HTTPS on this port (off by default; 0 picks a free port).")
    Integer statusPort;

    @Option(names = "--status-address", paramLabel = "<ip>", defaultValue = "127.0.0.1",
            description = "Address the status endpoint listens on (default 127.0.0.1; 0.0.0.0 for every interface).")
    String statusAddress;

    @Option(names = "--health-config", paramLabel = "<file>",
            description = "Health check configuration (properties, keys health.*; default "
                    + HealthConfig.DEFAULT_FILE + " when it exists). See docs/operator-guide/sensor-health.md.")
    Path healthConfig;

    @Mixin
    VendorKeysOption vendorKeys;

    RunCommand(AgentConfig defaults, Installer.StageHook installStages) {
        this.defaults = defaults;
        this.installStages = installStages;
    }

    private HealthConfig healthConfig(AgentConfig config) {
        Path file = healthConfig;
        if (file == null && Files.isRegularFile(Path.of(HealthConfig.DEFAULT_FILE))) {
            file = Path.of(HealthConfig.DEFAULT_FILE);
        }
        // Without an operator's file, the checks the running version ships with (e.g. its engine's processes).
        Path shipped = config.stateDir().resolve(RunningVersion.VERSIONS).resolve(RunningVersion.CURRENT)
                .resolve(InstalledVersions.HEALTH_DEFAULTS);
        if (file == null && Files.isRegularFile(shipped)) {
            file = shipped;
        }
        HealthConfig health = file == null ? HealthConfig.defaults(config.stateDir()) : HealthConfig.load(file, config.stateDir());
        return appliance.systemRoot == null ? health : health.withSystemRoot(appliance.systemRoot);
    }

    /** So that 'sensor-agent update' can hand over to the new version (it stops this process). */
    private static void writePid(Path file, AgentLog log) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, ProcessHandle.current().pid() + "\n");
        } catch (java.io.IOException e) {
            log.warn("cannot write " + file + ": " + e.getMessage());
        }
    }

    @Override
    public Integer call() {
        AgentConfig config = common.apply(defaults);
        if (intervalSeconds != null) {
            if (intervalSeconds < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--interval-seconds must be at least 1");
            }
            config = config.withHeartbeatInterval(Duration.ofSeconds(intervalSeconds));
        }
        if (statusPort != null && (statusPort < 0 || statusPort > 65535)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--status-port must be 0 to 65535");
        }
        PrintWriter out = spec.commandLine().getOut();
        AgentLog log = new LevelledLog(common.json ? AgentLog.json(out, config.clock())
                : AgentLog.lines(out, config.clock()), new SettingsStore(config.stateDir()));
        Agent agent = new Agent(config, log, ConsoleClientFactory.standard(config.requestTimeout()), appliance.appliance());
        try {
            StateLayout.ensure(config.stateDir());
        } catch (java.io.UncheckedIOException e) {
            log.warn(e.getMessage());
        }
        StatusServer status = statusPort == null ? null
                : StatusServer.start(config, agent.stateDir(), new InetSocketAddress(statusAddress, statusPort), log);
        HealthMonitor health = HealthMonitor.system(healthConfig(config), agent.stateDir(), config.clock(), log);
        AtomicInteger exit = new AtomicInteger(AgentCli.OK);
        AtomicReference<AgentRuntime> started = new AtomicReference<>();
        // A new agent build is current: stop every loop and exit for the launcher to start it.
        Runnable handOver = () -> {
            exit.set(HandOver.EXIT_STATUS);
            Thread.ofPlatform().name("sensor-agent-handover").start(() -> started.get().stop());
        };
        AgentRuntime runtime = agent.runtime(health, installStages, vendorKeys.ring(config.stateDir()), handOver);
        started.set(runtime);

        CountDownLatch finished = new CountDownLatch(1);
        // SIGTERM and Ctrl-C run shutdown hooks: every loop finishes its step, long-polls are cut.
        Thread hook = new Thread(() -> {
            log.info("stopping");
            runtime.stop();
            try {
                finished.await(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "sensor-agent-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        log.info("sensor-agent " + agent.config().softwareVersion() + " started; state dir " + config.stateDir().toAbsolutePath());
        runtime.start();
        Path pidFile = config.stateDir().resolve(UpdateLoop.UPDATES).resolve(LocalUpdate.DAEMON_PID);
        writePid(pidFile, log);
        try {
            runtime.awaitTermination();
            List<String> running = runtime.join(SHUTDOWN_GRACE);
            if (!running.isEmpty()) {
                log.warn("still running at exit: " + running);
            }
            log.info(exit.get() == HandOver.EXIT_STATUS ? "stopped for the hand-over to "
                    + RunningVersion.of(config) + " (exit status " + HandOver.EXIT_STATUS + ")" : "stopped");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (status != null) {
                status.close();
            }
            try {
                Files.deleteIfExists(pidFile);
            } catch (java.io.IOException e) {
                // a stale file names a process that is gone: 'update' checks before it signals
            }
            finished.countDown();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down: the hook is what stopped us.
        }
        return exit.get();
    }
}
