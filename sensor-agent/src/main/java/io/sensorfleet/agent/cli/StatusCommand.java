package io.sensorfleet.agent.cli;

import io.sensorfleet.agent.AgentConfig;
import io.sensorfleet.agent.identity.StateDir;
import io.sensorfleet.agent.status.StatusReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.time.Instant;
import java.util.concurrent.Callable;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Shows the sensor's identity, its console and how reporting goes.")
final class StatusCommand implements Callable<Integer> {

    private final AgentConfig defaults;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    CommonOptions common;

    StatusCommand(AgentConfig defaults) {
        this.defaults = defaults;
    }

    @Override
    public Integer call() {
        AgentConfig config = common.apply(defaults);
        StatusReport view = StatusReport.of(config, new StateDir(config.stateDir()));
        common.print(spec.commandLine().getOut(), view, text(view));
        return AgentCli.OK;
    }

    private static String text(StatusReport v) {
        return "sensor:               " + v.sensorName() + " (sensor id " + v.sensorId() + ")\n"
                + "software version:     " + v.softwareVersion() + "\n"
                + "console:              " + String.join(", ", v.addresses()) + "\n"
                + "heartbeat interval:   " + v.heartbeatIntervalSeconds() + " s\n"
                + "certificate valid to: " + v.certificateNotAfter() + " (renewal from " + v.certificateRenewalFrom() + ")\n"
                + "certificate SHA-256:  " + v.certificateFingerprint() + "\n"
                + "last report:          " + orNever(v.lastSuccessAt()) + "\n"
                + "last attempt:         " + orNever(v.lastAttemptAt()) + "\n"
                + "consecutive failures: " + v.consecutiveFailures() + "\n"
                + "last error:           " + (v.lastError() == null ? "none" : v.lastError() + " (at " + v.lastErrorAt() + ")") + "\n"
                + "activation:           " + activation(v) + "\n"
                + "HTTPS certificate:    " + https(v) + "\n"
                + "state dir:            " + v.stateDir();
    }

    private static String activation(StatusReport v) {
        if (v.activationMode() == null) {
            return "none installed";
        }
        String text = v.activationMode() + (v.activationExpiresAt() == null ? ", no expiry" : ", valid until "
                + v.activationExpiresAt());
        if ("EXPIRED".equals(v.activationWarning())) {
            return text + "  WARNING: EXPIRED - the sensor keeps working; upload a new activation file";
        }
        return "EXPIRING".equals(v.activationWarning())
                ? text + "  WARNING: expires within 30 days; upload a new activation file" : text;
    }

    private static String https(StatusReport v) {
        if (v.httpsCertificateSubject() == null) {
            return "none (made at the first start of 'run --status-port')";
        }
        return v.httpsCertificateSubject() + ", valid until " + v.httpsCertificateNotAfter()
                + (Boolean.TRUE.equals(v.httpsCertificateSelfSigned()) ? "  (self-signed: import one with 'certificate import')" : "");
    }

    private static String orNever(Instant at) {
        return at == null ? "never" : at.toString();
    }
}
