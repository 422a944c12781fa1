package io.sensorfleet.agent.cli;

import io.sensorfleet.agent.Agent;
import io.sensorfleet.agent.AgentConfig;
import io.sensorfleet.agent.AgentLog;
import io.sensorfleet.agent.backup.StateLayout;
import io.sensorfleet.agent.identity.Identity;
import io.sensorfleet.protocol.v1.enrollment.ConnectionString;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "connect", mixinStandardHelpOptions = true,
        description = "Connects this sensor to the console named by a connection string (from the console's"
                + " 'Connect sensor' page): generates the sensor's key here, enrolls with the one-time token"
                + " over TLS pinned to the console CA, and stores the issued certificate.")
final class ConnectCommand implements Callable<Integer> {

    /** What {@code connect --json} prints. */
    record ConnectView(String sensorId, String sensorName, List<String> addresses, int heartbeatIntervalSeconds,
                       Instant certificateNotAfter, String stateDir) {
    }

    private final AgentConfig defaults;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "<connection-string>", description = "The sf1.… string from the console.")
    String connectionString;

    @Option(names = "--force", description = "Replace the identity of a sensor that is already connected.")
    boolean force;

    ConnectCommand(AgentConfig defaults) {
        this.defaults = defaults;
    }

    @Override
    public Integer call() {
        // Parsed before anything else: a malformed string must neither write nor send anything.
        ConnectionString connection = ConnectionString.parse(connectionString);
        PrintWriter out = spec.commandLine().getOut();
        AgentConfig config = common.apply(defaults);
        AgentLog log = common.json ? AgentLog.discard() : AgentLog.lines(out, config.clock());
        Identity identity = new Agent(config, log).enroller().connect(connection, force);
        StateLayout.ensure(config.stateDir());
        common.print(out,
                new ConnectView(identity.sensorId(), identity.sensorName(), identity.addresses(),
                        identity.heartbeatIntervalSeconds(), identity.certificateNotAfter(),
                        config.stateDir().toAbsolutePath().toString()),
                "connected as " + identity.sensorName() + " (sensor id " + identity.sensorId() + ")\n"
                        + "console:              " + String.join(", ", identity.addresses()) + "\n"
                        + "certificate valid to: " + identity.certificateNotAfter() + "\n"
                        + "start reporting with 'sensor-agent run' (or restart the sensor-agent service)");
        return AgentCli.OK;
    }
}
