package io.sensorfleet.simulator;

import io.sensorfleet.agent.AgentConfig;
import io.sensorfleet.agent.AgentException;
import io.sensorfleet.agent.cli.AgentCli;
import io.sensorfleet.simulator.FleetSimulator;
import io.sensorfleet.simulator.SensorBehaviour;
import io.sensorfleet.simulator.SimulatorOptions;
import io.sensorfleet.simulator.Workloads;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

@Command(name = "fleet-simulator", mixinStandardHelpOptions = true,
        description = {"Runs many simulated sensors in this JVM against a console, for tests and benchmarks: each has"
                + " its own EC key, certificate and mutual-TLS connection, enrolls with a real connection string and"
                + " reports like the agent (interval ±10 %%, backoff, Retry-After). Writes a JSON report.",
                "Connection strings come from --connection-strings FILE, or are created at --console as an admin"
                + " (password from --admin-password-file or $SENSORFLEET_ADMIN_PASSWORD).",
                "Phases: 'ramp', 'warmup', 'steady' (measured). With --control-stdin, lines 'phase <name>' start a"
                + " new phase and 'stop' ends the run."})
final class SimulateCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--count", required = true, paramLabel = "<n>", description = "Number of simulated sensors.")
    int count;

    @Option(names = "--connection-strings", paramLabel = "<file>", description = "One connection string per line.")
    Path connectionStrings;

    @Option(names = "--console", paramLabel = "<url>",
            description = "Operator plane (https://host:8443) to create connection strings at.")
    URI console;

    @Option(names = "--admin-user", paramLabel = "<name>", defaultValue = "admin",
            description = "Operator who creates the connection strings (default: ${DEFAULT-VALUE}).")
    String adminUser;

    @Option(names = "--admin-password-file", paramLabel = "<file>", description = "File holding that operator's password.")
    Path adminPasswordFile;

    @Option(names = "--operator-cert", paramLabel = "<pem>",
            description = "Certificate the operator plane is trusted by (its self-signed certificate or CA).")
    Path operatorCertificate;

    @Option(names = "--identities", paramLabel = "<file>",
            description = "Load simulated identities from this file and save new ones to it (mode 0600, holds keys).")
    Path identities;

    @Option(names = "--interval-seconds", paramLabel = "<s>", description = "Heartbeat interval instead of the console's.")
    Integer intervalSeconds;

    @Option(names = "--ramp-seconds", paramLabel = "<s>",
            description = "Spread the first heartbeats over this time (default: one interval).")
    Integer rampSeconds;

    @Option(names = "--warmup-seconds", paramLabel = "<s>", defaultValue = "0",
            description = "Unmeasured time after the ramp (default: ${DEFAULT-VALUE}).")
    int warmupSeconds;

    @Option(names = "--duration-seconds", paramLabel = "<s>", defaultValue = "180",
            description = "Measured time; 0 = until 'stop' on the control input (default: ${DEFAULT-VALUE}).")
    int durationSeconds;

    @Option(names = "--client-keepalive-seconds", paramLabel = "<s>", defaultValue = "300",
            description = "Replace a connection idle longer than this; 0 = a new connection per heartbeat"
                    + " (default: ${DEFAULT-VALUE}).")
    int clientKeepAliveSeconds;

    @Option(names = "--bind-addresses", paramLabel = "<ip>", split = ",",
            description = "Local addresses to connect from, round-robin (e.g. 127.0.0.2,127.0.0.3 for more ports).")
    List<String> bindAddresses;

    @Option(names = "--enroll-concurrency", paramLabel = "<n>", defaultValue = "32",
            description = "Enrollments in flight at most (default: ${DEFAULT-VALUE}).")
    int enrollConcurrency;

    @Option(names = "--enroll-rate", paramLabel = "<per-s>", defaultValue = "0",
            description = "Enrollments started per second at most; 0 = as many as the concurrency allows.")
    double enrollRate;

    @Option(names = "--replay-fraction", paramLabel = "<0..1>", defaultValue = "0",
            description = "Share of tokens also sent a second time at once with another key (exactly one may win).")
    double replayFraction;

    @Option(names = "--enroll-warmup", paramLabel = "<n>", defaultValue = "0",
            description = "Enroll this many extra sensors first, unmeasured and unsaved, so the measured burst meets compiled code.")
    int enrollWarmup;

    @Option(names = "--enroll-only", description = "Stop after enrolling (and saving --identities).")
    boolean enrollOnly;

    @Option(names = "--watch-connection", description = "While idle, each sensor watches its kept-alive connection as"
            + " the agent's work long-poll does: when the console closes it (a restart), the sensor reconnects with the"
            + " work loop's backoff and heartbeats as soon as the console answers again, as the agent does.")
    boolean watchConnection;

    @Option(names = "--max-connecting", paramLabel = "<n>", defaultValue = "0",
            description = "Connections being opened (TCP and TLS handshake) at once at most, heartbeat and settings"
                    + " long-poll ones together; 0 = no limit"
                    + " (default: ${DEFAULT-VALUE}). Keeps a ramp this machine cannot take from turning into"
                    + " handshake timeouts and retries.")
    int maxConnecting;

    @Option(names = "--control-stdin", description = "Read 'phase <name>' and 'stop' lines from standard input.")
    boolean controlStdin;

    @Option(names = "--report", paramLabel = "<file>", description = "Write the JSON report here.")
    Path report;

    @Option(names = "--progress-seconds", paramLabel = "<s>", defaultValue = "10",
            description = "Print a progress line this often (default: ${DEFAULT-VALUE}).")
    int progressSeconds;

    @Option(names = "--request-timeout-seconds", paramLabel = "<s>", defaultValue = "10",
            description = "Connect, handshake and answer timeout (default: ${DEFAULT-VALUE}).")
    int requestTimeoutSeconds;

    @Option(names = "--name-prefix", paramLabel = "<prefix>", defaultValue = "sim",
            description = "Simulated host names are <prefix>-<n> (default: ${DEFAULT-VALUE}).")
    String namePrefix;

    @Option(names = "--settings-poll",
            description = "Every sensor also long-polls its settings and acknowledges each revision.")
    boolean settingsPoll;

    @Option(names = "--backup-file", paramLabel = "<file>",
            description = "Upload this file whenever the console asks one of the --backup-sensors for a backup.")
    Path backupFile;

    @Option(names = "--backup-sensors", paramLabel = "<n>", defaultValue = "20",
            description = "How many sensors poll for backup tasks (default: ${DEFAULT-VALUE}).")
    int backupSensors;

    @Option(names = "--alerts-per-second", paramLabel = "<rate>", defaultValue = "0",
            description = "Alerts per second from the whole fleet while in the --alert-phase (default: none).")
    double alertsPerSecond;

    @Option(names = "--alert-sensors", paramLabel = "<n>", defaultValue = "100",
            description = "How many sensors share that rate (default: ${DEFAULT-VALUE}).")
    int alertSensors;

    @Option(names = "--alert-phase", paramLabel = "<name>", defaultValue = "burst",
            description = "The phase (see --control-stdin) in which alerts are sent (default: ${DEFAULT-VALUE}).")
    String alertPhase;

    /** Long enough to stop every simulated sensor (each waits at most its request timeout) and write the report. */
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(60);

    private final AgentConfig defaults;

    SimulateCommand(AgentConfig defaults) {
        this.defaults = defaults;
    }

    @Override
    public Integer call() {
        SimulatorOptions options;
        try {
            options = SimulatorOptions.builder(count)
                    .connectionStrings(connectionStrings)
                    .console(console, adminUser, console == null ? null : password(), operatorCertificate)
                    .identities(identities)
                    .intervalSeconds(intervalSeconds)
                    .timing(rampSeconds == null ? null : Duration.ofSeconds(nonNegative(rampSeconds, "--ramp-seconds")),
                            Duration.ofSeconds(nonNegative(warmupSeconds, "--warmup-seconds")),
                            Duration.ofSeconds(nonNegative(durationSeconds, "--duration-seconds")))
                    .clientKeepAlive(Duration.ofSeconds(nonNegative(clientKeepAliveSeconds, "--client-keepalive-seconds")))
                    .watchConnection(watchConnection)
                    .maxConnecting(maxConnecting)
                    .bindAddresses(addresses())
                    .enrollment(enrollConcurrency, enrollRate, replayFraction)
                    .enrollWarmup(enrollWarmup)
                    .enrollOnly(enrollOnly)
                    .controlInput(controlStdin)
                    .progressEvery(Duration.ofSeconds(Math.max(1, progressSeconds)))
                    .requestTimeout(Duration.ofSeconds(Math.max(1, requestTimeoutSeconds)))
                    .naming(defaults.softwareVersion(), namePrefix)
                    .report(report)
                    .workloads(new Workloads(settingsPoll, readable(backupFile), backupSensors, alertsPerSecond,
                            alertSensors, alertPhase))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        FleetSimulator simulator = new FleetSimulator(options, SensorBehaviour.HEALTHY, out, FleetSimulator.stdin());
        // SIGTERM ends the run like 'stop', and the JVM waits for the report to be written.
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            simulator.stop();
            try {
                finished.await(SHUTDOWN_GRACE.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "simulate-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            simulator.run();
        } catch (IOException e) {
            throw new AgentException("simulation failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException("simulation interrupted", e);
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down
            }
        }
        return AgentCli.OK;
    }

    private String password() {
        try {
            if (adminPasswordFile != null) {
                return Files.readString(adminPasswordFile).strip();
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read --admin-password-file " + adminPasswordFile + ": " + e.getMessage());
        }
        return System.getenv("SENSORFLEET_ADMIN_PASSWORD");
    }

    private List<InetAddress> addresses() {
        List<InetAddress> list = new ArrayList<>();
        if (bindAddresses != null) {
            for (String a : bindAddresses) {
                if (!a.matches("[0-9.]+|[0-9a-fA-F:]+")) {
                    throw new IllegalArgumentException("--bind-addresses: '" + a + "' is not an IP address");
                }
                try {
                    list.add(InetAddress.getByName(a));
                } catch (UnknownHostException e) {
                    throw new IllegalArgumentException("--bind-addresses: '" + a + "' is not an IP address");
                }
            }
        }
        return list;
    }

    private static Path readable(Path file) {
        if (file != null && !Files.isReadable(file)) {
            throw new IllegalArgumentException("--backup-file " + file + " is not a readable file");
        }
        return file;
    }

    private static int nonNegative(int value, String option) {
        if (value < 0) {
            throw new IllegalArgumentException(option + " must not be negative");
        }
        return value;
    }
}
