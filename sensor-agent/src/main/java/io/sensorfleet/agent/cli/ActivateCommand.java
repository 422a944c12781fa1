package io.sensorfleet.agent.cli;

import io.sensorfleet.agent.AgentConfig;
import io.sensorfleet.agent.AgentException;
import io.sensorfleet.agent.activation.Activator;
import io.sensorfleet.agent.client.AgentTls;
import io.sensorfleet.agent.client.ConsoleClientFactory;
import io.sensorfleet.agent.identity.StateDir;
import io.sensorfleet.lib.activation.ActivationClaims;
import io.sensorfleet.lib.activation.ActivationException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "activate", mixinStandardHelpOptions = true,
        description = "Verifies an activation file from the console and installs it. A refused file leaves the "
                + "previous activation in force.")
final class ActivateCommand implements Callable<Integer> {
    private final AgentConfig defaults;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "<file>", description = "the activation file downloaded from the console")
    Path file;

    ActivateCommand(AgentConfig defaults) {
        this.defaults = defaults;
    }

    /** What the command prints. */
    record Activated(String fileId, String sensorName, String mode, String expiresAt) {
    }

    @Override
    public Integer call() {
        AgentConfig config = common.apply(defaults);
        Activator activator = new Activator(new StateDir(config.stateDir()), new AgentTls(),
                ConsoleClientFactory.standard(config.requestTimeout()));
        ActivationClaims c;
        try {
            c = activator.activate(file);
        } catch (ActivationException e) {
            throw new AgentException(e.getMessage());
        }
        Activated view = new Activated(c.fileId(), c.sensorName(), c.mode().name(),
                c.expiresAt() == null ? null : c.expiresAt().toString());
        common.print(spec.commandLine().getOut(), view, "activated as " + c.sensorName() + " (" + c.mode()
                + (c.expiresAt() == null ? ", no expiry" : ", valid until " + c.expiresAt()) + ")");
        return AgentCli.OK;
    }
}
