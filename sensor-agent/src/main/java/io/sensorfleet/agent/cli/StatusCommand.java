package io.sensorfleet.agent.cli;

import io.sensorfleet.agent.AgentConfig;
import io.sensorfleet.agent.identity.StateDir;
import io.sensorfleet.agent.settings.DateDisplay;
import io.sensorfleet.agent.settings.SettingsStore;
import io.sensorfleet.agent.status.StatusReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.function.Function;

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
        DateDisplay dates = DateDisplay.of(new SettingsStore(config.stateDir()));
        common.print(spec.commandLine().getOut(), view, text(view, dates::format));
        return AgentCli.OK;
    }

    private static String text(StatusReport v, Function<Instant, String> date) {
        return "sensor:               " + v.sensorName() + " (sensor id " + v.sensorId() + ")\n"
                + "software version:     " + v.softwareVersion() + "\n"
                + "console:              " + String.join(", ", v.addresses()) + "\n"
                + "heartbeat interval:   " + v.heartbeatIntervalSeconds() + " s\n"
                + "certificate valid to: " + orNever(v.certificateNotAfter(), date) + " (renewal from "
                + orNever(v.certificateRenewalFrom(), date) + ")\n"
                + "certificate SHA-256:  " + v.certificateFingerprint() + "\n"
                + "last report:          " + orNever(v.lastSuccessAt(), date) + "\n"
                + "last attempt:         " + orNever(v.lastAttemptAt(), date) + "\n"
                + "consecutive failures: " + v.consecutiveFailures() + "\n"
                + "last error:           " + (v.lastError() == null ? "none" : v.lastError() + " (at " + orNever(v.lastErrorAt(), date) + ")") + "\n"
                + "activation:           " + activation(v, date) + "\n"
                + "HTTPS certificate:    " + https(v, date) + "\n"
                + "state dir:            " + v.stateDir();
    }

    private static String activation(StatusReport v, Function<Instant, String> date) {
        if (v.activationMode() == null) {
            return "none installed";
        }
        String text = v.activationMode() + (v.activationExpiresAt() == null ? ", no expiry" : ", valid until "
                + date.apply(v.activationExpiresAt()));
        if ("EXPIRED".equals(v.activationWarning())) {
            return text + "  WARNING: EXPIRED - the sensor keeps working; upload a new activation file";
        }
        return "EXPIRING".equals(v.activationWarning())
                ? text + "  WARNING: expires within 30 days; upload a new activation file" : text;
    }

    private static String https(StatusReport v, Function<Instant, String> date) {
        if (v.httpsCertificateSubject() == null) {
            return "none (made at the first start of 'run --status-port')";
        }
        return v.httpsCertificateSubject() + ", valid until " + orNever(v.httpsCertificateNotAfter(), date)
                + (Boolean.TRUE.equals(v.httpsCertificateSelfSigned()) ? "  (self-signed: import one with 'certificate import')" : "");
    }

    private static String orNever(Instant at, Function<Instant, String> date) {
        return at == null ? "never" : date.apply(at);
    }
}
