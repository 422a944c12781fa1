package io.sensorfleet.agent.cli;

import io.sensorfleet.agent.AgentConfig;
import io.sensorfleet.agent.alerts.AlertOutbox;
import io.sensorfleet.protocol.v1.alerts.AlertReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;

@Command(name = "alert", mixinStandardHelpOptions = true,
        description = "Queues an alert for the console. It is kept in the state dir's outbox until the console"
                + " has it; the running daemon ('sensor-agent run') sends it, after the console comes back if it"
                + " is unreachable now.")
final class AlertCommand implements Callable<Integer> {

    /** What {@code alert --json} prints. */
    record AlertView(String alertId, String severity, String title, int queued, String outbox) {
    }

    private final AgentConfig defaults;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--title", required = true, paramLabel = "<text>", description = "What was detected, one line.")
    String title;

    @Option(names = "--severity", required = true, paramLabel = "<severity>",
            description = "Warning, Minor, Major or Critical.")
    String severity;

    @Option(names = "--engine", paramLabel = "<name>", description = "Detection engine, e.g. 'Policy Violation'.")
    String engine;

    @Option(names = "--protocol", paramLabel = "<name>", description = "Network protocol, e.g. Modbus.")
    String protocol;

    @Option(names = "--source", paramLabel = "<address>", description = "Source address or name.")
    String source;

    @Option(names = "--destination", paramLabel = "<address>", description = "Destination address or name.")
    String destination;

    AlertCommand(AgentConfig defaults) {
        this.defaults = defaults;
    }

    @Override
    public Integer call() {
        AgentConfig config = common.apply(defaults);
        // Checked as the console checks them, so the console never refuses what is queued here.
        AlertReport report = new AlertReport(UUID.randomUUID().toString(), text("--title", title, 500, true),
                severity(), text("--engine", engine, 100, false), text("--protocol", protocol, 100, false),
                text("--source", source, 255, false), text("--destination", destination, 255, false),
                config.clock().instant());
        AlertOutbox outbox = new AlertOutbox(config.stateDir());
        outbox.enqueue(report);
        int queued = outbox.pending().size();
        common.print(spec.commandLine().getOut(),
                new AlertView(report.alertId(), report.severity().name(), report.title(), queued, outbox.path().toString()),
                "queued alert " + report.alertId() + " (" + queued + " waiting for the console); "
                        + "the running 'sensor-agent run' sends it");
        return AgentCli.OK;
    }

    private AlertReport.Severity severity() {
        try {
            return AlertReport.Severity.valueOf(severity.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--severity must be Warning, Minor, Major or Critical, not '" + severity + "'");
        }
    }

    private String text(String option, String value, int max, boolean required) {
        if (value == null) {
            return null;
        }
        String v = value.strip();
        if (v.isEmpty() && required) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + " must not be empty");
        }
        if (v.length() > max || v.chars().anyMatch(Character::isISOControl)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    option + " must be one line of at most " + max + " characters");
        }
        return v.isEmpty() ? null : v;
    }
}
