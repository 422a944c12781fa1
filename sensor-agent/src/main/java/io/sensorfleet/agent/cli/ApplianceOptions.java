package io.sensorfleet.agent.cli;

import io.sensorfleet.agent.appliance.Appliance;
import io.sensorfleet.agent.appliance.ApplianceConfig;
import io.sensorfleet.agent.appliance.Commands;
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
    enum Kind { none, linux }

    @Option(names = "--appliance", paramLabel = "<kind>", defaultValue = "${env:SENSORFLEET_AGENT_APPLIANCE:-none}",
            description = "none: settings only go to the state dir; linux: put in force on this machine (default: ${DEFAULT-VALUE}).")
    Kind kind;

    @Option(names = "--system-root", paramLabel = "<dir>", defaultValue = "${env:SENSORFLEET_AGENT_SYSTEM_ROOT:-/}",
            description = "Root of the system files the linux appliance writes (default: ${DEFAULT-VALUE}).")
    Path systemRoot;

    @Option(names = "--management-interface", paramLabel = "<name>",
            defaultValue = "${env:SENSORFLEET_AGENT_MANAGEMENT_INTERFACE}",
            description = "Interface whose address, mask and gateway the settings set; none leaves addresses alone.")
    String managementInterface;

    @Option(names = "--engine-reload", paramLabel = "<command>",
            defaultValue = "${env:SENSORFLEET_AGENT_ENGINE_RELOAD:-systemctl try-reload-or-restart sensorfleet-engine.service}",
            description = "Run after the engine configuration changed, split at spaces; empty for none (default: ${DEFAULT-VALUE}).")
    String engineReload;

    Appliance appliance() {
        if (kind == Kind.none) {
            return Appliance.none();
        }
        ApplianceConfig config = ApplianceConfig.forRoot(systemRoot,
                        Optional.ofNullable(managementInterface).filter(s -> !s.isBlank()))
                .withEngineReload(engineReload == null || engineReload.isBlank() ? List.of()
                        : List.of(engineReload.strip().split("\\s+")));
        return new LinuxAppliance(config, Commands.system(Duration.ofSeconds(20)));
    }
}
