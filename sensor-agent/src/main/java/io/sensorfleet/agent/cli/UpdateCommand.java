package io.sensorfleet.agent.cli;

import io.sensorfleet.agent.Agent;
import io.sensorfleet.agent.AgentConfig;
import io.sensorfleet.agent.AgentException;
import io.sensorfleet.agent.AgentLog;
import io.sensorfleet.agent.InvalidInputException;
import io.sensorfleet.agent.update.LocalUpdate;
import io.sensorfleet.agent.update.UpdateException;
import io.sensorfleet.protocol.v1.update.UpdateStage;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "update", mixinStandardHelpOptions = true,
        description = "Installs an update package on this sensor (a standalone sensor's update): checks its signature"
                + " against the pinned vendor keys, takes a backup, installs the version beside the running one and"
                + " hands over to it; the launcher watches the new version and rolls back to this one on trouble."
                + " Waits for the outcome of the watch and prints it (exit 0: the new version runs; 1: refused or"
                + " rolled back).")
final class UpdateCommand implements Callable<Integer> {
    /** Time for the daemon to stop and the launcher to start the new version, beyond the watch window. */
    private static final Duration START_MARGIN = Duration.ofSeconds(60);

    private final AgentConfig defaults;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    VendorKeysOption vendorKeys;

    @Parameters(index = "0", paramLabel = "<package-file>", description = "The update package (.pkg).")
    Path packageFile;

    @Option(names = "--watch-seconds", paramLabel = "<seconds>",
            description = "Watch window after the hand-over (default: the setting update.watchSeconds, 600).")
    Long watchSeconds;

    @Option(names = "--no-wait", description = "Return after the hand-over instead of waiting for the watch's outcome.")
    boolean noWait;

    UpdateCommand(AgentConfig defaults) {
        this.defaults = defaults;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (watchSeconds != null && (watchSeconds < 1 || watchSeconds > 86400)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--watch-seconds must be 1 to 86400");
        }
        AgentConfig config = common.apply(defaults);
        Agent agent = new Agent(config, AgentLog.discard());
        PrintWriter out = spec.commandLine().getOut();
        LocalUpdate.Started s;
        try {
            s = new LocalUpdate(config, vendorKeys.ring(config.stateDir()), agent.backupTaker())
                    .install(packageFile, watchSeconds == null ? null : Duration.ofSeconds(watchSeconds));
        } catch (UpdateException e) {
            throw new InvalidInputException(e.getMessage());
        }
        if (!s.handedOver()) {
            if (s.stage() != UpdateStage.SUCCEEDED) {
                throw new AgentException(s.detail());
            }
            out.println(s.detail());
            return AgentCli.OK;
        }
        out.println("version " + s.to() + " installed beside " + s.from() + "; "
                + s.daemon().map(pid -> "the running agent (process " + pid + ") hands over to it")
                .orElse("no agent runs: 'sensor-agent run' starts it")
                + "; watched for " + s.window().toSeconds() + " s");
        out.flush();
        if (noWait || s.daemon().isEmpty()) {
            return AgentCli.OK;
        }
        Instant until = Instant.now().plus(s.window()).plus(START_MARGIN);
        Optional<Map<String, String>> outcome = Optional.empty();
        while (outcome.isEmpty() && Instant.now().isBefore(until)) {
            Thread.sleep(500);
            outcome = LocalUpdate.outcome(config.stateDir(), s.task());
        }
        if (outcome.isEmpty()) {
            throw new AgentException("no outcome of the update to " + s.to() + " yet; see 'sensor-agent status'");
        }
        Map<String, String> o = outcome.get();
        if (!"SUCCEEDED".equals(o.get("stage"))) {
            throw new AgentException(o.get("detail"));
        }
        out.println(o.get("detail"));
        out.println("running version: " + o.get("version"));
        return AgentCli.OK;
    }
}
