package io.sensorfleet.agent.appliance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How the Linux appliance is reached. Every file path is relative to {@code systemRoot}, so a
 * test or a dry run points the root at a directory and never writes the real {@code /etc}.
 *
 * @param systemRoot          the root of the files below; {@code /} on a sensor
 * @param managementInterface the interface whose address, mask and gateway the settings set;
 *                            empty leaves addresses alone (a sensor whose network is managed otherwise)
 * @param ipCommand           iproute2 and its leading arguments ({@code ip}, or {@code ip -n <netns>} in tests)
 * @param hostnameCommand     sets and shows the kernel's host name when systemd does not run
 *                            ({@code hostname}); empty to leave the kernel's name alone
 * @param engineConfig        the sensor engine's configuration file the system properties are rendered to
 * @param engineReload        run after the engine file changed; empty for none
 * @param proxyFile           environment file with the proxy, read by the engine's unit and by the agent
 * @param systemd             whether systemd runs the appliance: host name, time zone and DNS then go
 *                            through hostnamectl, timedatectl and systemd-resolved
 */
public record ApplianceConfig(Path systemRoot, Optional<String> managementInterface, List<String> ipCommand,
                              List<String> hostnameCommand, Path engineConfig, List<String> engineReload,
                              Path proxyFile, boolean systemd) {

    public static final Path ENGINE_CONFIG = Path.of("etc/sensorfleet/engine.conf");
    public static final Path PROXY_FILE = Path.of("etc/sensorfleet/proxy.env");

    public ApplianceConfig {
        Objects.requireNonNull(systemRoot, "systemRoot");
        Objects.requireNonNull(managementInterface, "managementInterface");
        ipCommand = List.copyOf(ipCommand);
        hostnameCommand = List.copyOf(hostnameCommand);
        engineReload = List.copyOf(engineReload);
        if (ipCommand.isEmpty()) {
            throw new IllegalArgumentException("ipCommand must name the ip tool");
        }
        if (engineConfig.isAbsolute() || proxyFile.isAbsolute()) {
            throw new IllegalArgumentException("engine and proxy files are relative to the system root");
        }
    }

    /**
     * A sensor whose files are under {@code root}: on {@code /}, the kernel's host name and the
     * engine's reload as well, systemd when {@code /run/systemd/system} exists (how systemd itself
     * tells that it is PID 1). Under any other root (a test, a dry run) the kernel's host name and
     * the engine are left alone: they belong to the machine, not to that directory.
     */
    public static ApplianceConfig forRoot(Path root, Optional<String> managementInterface) {
        boolean machine = root.toAbsolutePath().normalize().equals(Path.of("/"));
        return new ApplianceConfig(root, managementInterface, List.of("ip"),
                machine ? List.of("hostname") : List.of(), ENGINE_CONFIG,
                machine ? List.of("systemctl", "try-reload-or-restart", "sensorfleet-engine.service") : List.of(),
                PROXY_FILE, Files.isDirectory(root.resolve("run/systemd/system")));
    }

    /** A file of the appliance, e.g. {@code etc/hostname}. */
    public Path path(String relative) {
        return systemRoot.resolve(relative);
    }

    public ApplianceConfig withIpCommand(List<String> command) {
        return new ApplianceConfig(systemRoot, managementInterface, command, hostnameCommand, engineConfig, engineReload,
                proxyFile, systemd);
    }

    public ApplianceConfig withHostnameCommand(List<String> command) {
        return new ApplianceConfig(systemRoot, managementInterface, ipCommand, command, engineConfig, engineReload,
                proxyFile, systemd);
    }

    public ApplianceConfig withEngineReload(List<String> command) {
        return new ApplianceConfig(systemRoot, managementInterface, ipCommand, hostnameCommand, engineConfig, command,
                proxyFile, systemd);
    }
}
