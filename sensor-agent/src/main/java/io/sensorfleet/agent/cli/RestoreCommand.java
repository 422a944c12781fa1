package io.sensorfleet.agent.cli;

import io.sensorfleet.agent.Agent;
import io.sensorfleet.agent.AgentConfig;
import io.sensorfleet.agent.AgentLog;
import io.sensorfleet.agent.backup.BackupException;
import io.sensorfleet.agent.backup.BackupManifest;
import io.sensorfleet.agent.backup.LocalBackup;
import io.sensorfleet.lib.backup.SecretsInArchive;
import io.sensorfleet.protocol.v1.backup.BackupFailureKind;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;

@Command(name = "restore", mixinStandardHelpOptions = true,
        description = "Restores a backup: replaces the sensor's configuration and data, keeps packet captures, logs "
                + "and the sensor's identity. Only a backup of this very software version is accepted; the file's "
                + "SHA-256 is checked against the .sha256 beside it when there is one. Nothing changes on refusal.")
final class RestoreCommand implements Callable<Integer> {

    /** What {@code restore --json} prints. */
    record RestoreView(String file, String softwareVersion, Instant takenAt, String sensorName) {
    }

    private final AgentConfig defaults;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Parameters(arity = "0..1", paramLabel = "<file>", description = "The backup (.tar) to restore.")
    Path file;

    @Option(names = "--latest", description = "Restore the newest backup in <state-dir>/backups/ (seed: restore the latest backup file).")
    boolean latest;

    RestoreCommand(AgentConfig defaults) {
        this.defaults = defaults;
    }

    private static boolean sealedSecrets(Path backup) {
        try {
            return SecretsInArchive.find(backup).kind() == SecretsInArchive.Kind.SEALED;
        } catch (java.io.IOException e) {
            return false; // the restore itself says what is wrong with the file
        }
    }

    @Override
    public Integer call() {
        if ((file == null) == !latest) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give either a backup <file> or --latest");
        }
        Agent agent = new Agent(common.apply(defaults), AgentLog.discard());
        Path source = file;
        if (latest) {
            source = agent.backupTaker().local().newest().map(LocalBackup::file).orElseThrow(() ->
                    new BackupException(BackupFailureKind.NOT_FOUND, "no backup in " + agent.backupTaker().local().dir()));
        }
        boolean sealed = sealedSecrets(source);
        BackupManifest m = agent.restorer().restore(source, null);
        common.print(spec.commandLine().getOut(), new RestoreView(source.toString(), m.softwareVersion(), m.takenAt(),
                        m.sensorName()),
                "restored " + source + " (taken " + m.takenAt() + " by " + m.sensorName() + ", version "
                        + m.softwareVersion() + "): configuration and data replaced, captures and logs kept"
                        + (sealed ? "; its secrets are sealed to the console, so the sensor's current secrets were kept "
                        + "(restore from the console to bring them back)" : ""));
        return AgentCli.OK;
    }
}
