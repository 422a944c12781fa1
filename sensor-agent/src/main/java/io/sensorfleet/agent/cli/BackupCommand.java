package io.sensorfleet.agent.cli;

import io.sensorfleet.agent.Agent;
import io.sensorfleet.agent.AgentConfig;
import io.sensorfleet.agent.AgentLog;
import io.sensorfleet.agent.backup.LocalBackup;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "backup", mixinStandardHelpOptions = true,
        description = "Takes a backup of the sensor's configuration and data (not packet captures or logs) into "
                + "<state-dir>/backups/, with its SHA-256 beside it, and keeps as many as backup.retention says.")
final class BackupCommand implements Callable<Integer> {

    /** What {@code backup --json} prints for each backup. */
    record BackupView(String file, String sha256, long size, String softwareVersion, Instant takenAt) {
        static BackupView of(LocalBackup b) {
            return new BackupView(b.file().toString(), b.sha256(), b.size(), b.softwareVersion(), b.takenAt());
        }
    }

    private final AgentConfig defaults;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--list", description = "List the local backups, newest first, instead of taking one.")
    boolean list;

    BackupCommand(AgentConfig defaults) {
        this.defaults = defaults;
    }

    @Override
    public Integer call() {
        Agent agent = new Agent(common.apply(defaults), AgentLog.discard());
        if (list) {
            List<BackupView> all = agent.backupTaker().local().list().stream().map(BackupView::of).toList();
            StringBuilder text = new StringBuilder(all.isEmpty() ? "no backups in " + agent.backupTaker().local().dir() : "");
            all.forEach(b -> text.append(text.isEmpty() ? "" : "\n").append(b.file()).append("  ").append(b.size())
                    .append(" bytes  sha256 ").append(b.sha256()));
            common.print(spec.commandLine().getOut(), all, text.toString());
            return AgentCli.OK;
        }
        LocalBackup b = agent.backupTaker().take();
        common.print(spec.commandLine().getOut(), BackupView.of(b), "backup written: " + b.file() + "\n"
                + "size:    " + b.size() + " bytes\n"
                + "sha256:  " + b.sha256() + " (also in " + b.fileName() + ".sha256)");
        return AgentCli.OK;
    }
}
