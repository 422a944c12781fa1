package io.sensorfleet.agent.cli;

import io.sensorfleet.agent.AgentConfig;
import io.sensorfleet.agent.activation.ActivationStore;
import io.sensorfleet.agent.activation.ActivationWarning;
import io.sensorfleet.agent.identity.AgentStatus;
import io.sensorfleet.agent.identity.Identity;
import io.sensorfleet.agent.identity.RenewalPolicy;
import io.sensorfleet.agent.identity.StateDir;
import io.sensorfleet.agent.update.InstalledVersions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Shows the sensor's identity, its console and how reporting goes.")
final class StatusCommand implements Callable<Integer> {

    /** What {@code status --json} prints. */
    record StatusView(String sensorId, String sensorName, List<String> addresses, int heartbeatIntervalSeconds,
                      Instant certificateNotAfter, Instant certificateRenewalFrom, String certificateFingerprint,
                      Instant lastAttemptAt,
                      Instant lastSuccessAt, int consecutiveFailures, String lastError, Instant lastErrorAt,
                      String stateDir, String activationMode, Instant activationExpiresAt, String activationWarning,
                      String softwareVersion) {
    }

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
        StateDir stateDir = new StateDir(common.apply(defaults).stateDir());
        Identity identity = stateDir.requireIdentity();
        AgentStatus status = stateDir.status();
        Instant renewalFrom = new RenewalPolicy().renewAt(stateDir.certificate());
        AgentConfig config = common.apply(defaults);
        var activation = new ActivationStore(stateDir.path()).current(identity.sensorId());
        Instant expires = activation.map(a -> a.expiresAt()).orElse(null);
        StatusView view = new StatusView(identity.sensorId(), identity.sensorName(), identity.addresses(),
                identity.heartbeatIntervalSeconds(), identity.certificateNotAfter(), renewalFrom,
                identity.certificateFingerprint(), status.lastAttemptAt(), status.lastSuccessAt(), status.consecutiveFailures(), status.lastError(),
                status.lastErrorAt(), stateDir.path().toString(), activation.map(a -> a.mode().name()).orElse(null),
                expires, ActivationWarning.of(expires, config.clock().instant()),
                InstalledVersions.running(stateDir.path(), config.softwareVersion()));
        common.print(spec.commandLine().getOut(), view, text(view));
        return AgentCli.OK;
    }

    private static String text(StatusView v) {
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
                + "state dir:            " + v.stateDir();
    }

    private static String activation(StatusView v) {
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

    private static String orNever(Instant at) {
        return at == null ? "never" : at.toString();
    }
}
