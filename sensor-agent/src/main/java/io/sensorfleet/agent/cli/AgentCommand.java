package io.sensorfleet.agent.cli;

import io.sensorfleet.agent.AgentVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "sensor-agent", mixinStandardHelpOptions = true, versionProvider = AgentCommand.Version.class,
        description = "Connects this sensor to a SensorFleet console and reports to it.",
        subcommands = {ConnectCommand.class, RunCommand.class, StatusCommand.class, ActivateCommand.class, AlertCommand.class,
                BackupCommand.class, RestoreCommand.class, CertificateCommand.class,
                ApplianceHelperCommand.class, UpdateCommand.class, VendorKeysCommand.class},
        footer = {"", "Exit codes: 0 success, 1 failure, 2 invalid input, 3 not connected."})
final class AgentCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "missing command (connect, run, status, activate, alert, backup, restore, certificate, update or vendor-keys)");
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"sensor-agent " + AgentVersion.current()};
        }
    }
}
