package io.sensorfleet.agent.cli;

import io.sensorfleet.agent.appliance.Appliance;
import io.sensorfleet.agent.appliance.ApplianceConfig;
import io.sensorfleet.agent.appliance.Commands;
import io.sensorfleet.agent.appliance.HelperAppliance;
import io.sensorfleet.agent.appliance.LinuxAppliance;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Which operating system the settings change. Each option also reads an environment variable, so
 * the systemd unit's environment file configures a sensor without editing the unit.
 */
final class ApplianceOptions {
    enum Kind { none, linux, helper }

    @Option(names = "--appliance", paramLabel = "<kind>", defaultValue = "${env:SENSORFLEET_AGENT_APPLIANCE:-none}",
            description = "none: settings only go to the state dir; linux: put in force by this process;"
                    + " helper: put in force by the privileged helper on --helper-socket (default: ${DEFAULT-VALUE}).")
    Kind kind;

    @Option(names = "--helper-socket", paramLabel = "<path>",
            defaultValue = "${env:SENSORFLEET_AGENT_HELPER_SOCKET:-/run/sensorfleet-agent/appliance.sock}",
            description = "Unix socket of the privileged helper (default: ${DEFAULT-VALUE}).")
    Path helperSocket;

    @Option(names = "--system-root", paramLabel = "<dir>", defaultValue = "${env:SENSORFLEET_AGENT_SYSTEM_ROOT}",
            description = "Root of the system: the files settings write, and where the health checks find /proc, /sys,"
                    + " /run and the mounts (default /; for the health checks, health.systemRoot if set).")
    Path systemRoot;

    @Option(names = "--management-interface", paramLabel = "<name>",
            defaultValue = "${env:SENSORFLEET_AGENT_MANAGEMENT_INTERFACE}",
            description = "Interface whose address, mask and gateway the settings set; none leaves addresses alone.")
    String managementInterface;

    @Option(names = "--engine-reload", paramLabel = "<command>",
            defaultValue = "${env:SENSORFLEET_AGENT_ENGINE_RELOAD:-systemctl try-reload-or-restart sensorfleet-engine.service}",
            description = "Run after the engine configuration changed, split at spaces; empty for none, and never"
                    + " under a --system-root other than / (default: ${DEFAULT-VALUE}).")
    String engineReload;

    Appliance appliance() {
        return switch (kind) {
            case none -> Appliance.none();
            case helper -> new HelperAppliance(helperSocket);
            case linux -> linux();
        };
    }

    private Path root() {
        return systemRoot == null ? Path.of("/") : systemRoot;
    }

    private boolean onMachine() {
        return root().toAbsolutePath().normalize().equals(Path.of("/"));
    }

    /** The appliance this process changes itself (the helper's, or a root agent's). */
    Appliance linux() {
        ApplianceConfig config = ApplianceConfig.forRoot(root(),
                        Optional.ofNullable(managementInterface).filter(s -> !s.isBlank()))
                .withEngineReload(engineReload == null || engineReload.isBlank() || !onMachine() ? List.of()
                        : List.of(engineReload.strip().split("\\s+")));
        return new LinuxAppliance(config, Commands.system(Duration.ofSeconds(20)));
    }
}
