package io.sensorfleet.updatetools;

import io.sensorfleet.agent.AgentException;
import io.sensorfleet.agent.cli.AgentCli;
import io.sensorfleet.updatetools.PackageBuilder;
import io.sensorfleet.lib.packages.PackageSignature;
import io.sensorfleet.lib.packages.UpdateManifest;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "update-tools", mixinStandardHelpOptions = true,
        description = "Update packages (vendor side).", subcommands = PackageCommand.Build.class)
final class PackageCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command (build)");
    }

    @Command(name = "build", mixinStandardHelpOptions = true,
            description = "Builds a signed update package from a payload directory that holds an executable "
                    + "'healthcheck'. See docs/update-package-format.md.")
    static final class Build implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--payload-dir", paramLabel = "<dir>", description = "What the version installs"
                + " (with --agent-jar: more files beside the agent build).")
        Path payloadDir;

        @Option(names = "--agent-jar", paramLabel = "<jar>", description = "An agent build (sensor-agent.jar): the"
                + " payload carries it, stamped with --version, and the sensor hands over to it after installing.")
        Path agentJar;

        @Option(names = "--version", required = true, paramLabel = "<version>", description = "The version it installs.")
        String version;

        @Option(names = "--applies-to", split = ",", paramLabel = "<version>",
                description = "Versions (or prefixes like 10.5.x) it may be installed on.")
        List<String> appliesTo = List.of();

        @Option(names = "--minimum-from", paramLabel = "<version>",
                description = "It may be installed on this version and any newer one.")
        String minimumFrom;

        @Option(names = "--requires-new-activation",
                description = "Sensors need an activation file issued for the new version first.")
        boolean requiresNewActivation;

        @Option(names = "--healthcheck-timeout", paramLabel = "<seconds>", defaultValue = "60",
                description = "How long the health check may run (default: ${DEFAULT-VALUE}).")
        int healthcheckTimeout;

        @Option(names = "--key", required = true, paramLabel = "<file>",
                description = "The vendor's Ed25519 private key (PKCS#8 PEM).")
        Path key;

        @Option(names = "--out", required = true, paramLabel = "<file>", description = "Where to write the package.")
        Path out;

        @Option(names = "--json", description = "Print JSON instead of text.")
        boolean json;

        @Override
        public Integer call() {
            if (payloadDir == null && agentJar == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--payload-dir or --agent-jar is required");
            }
            try {
                if (payloadDir == null) {
                    payloadDir = Files.createTempDirectory("agent-payload-");
                }
                if (agentJar != null) {
                    AgentPayload.write(agentJar, version, payloadDir);
                }
                var privateKey = PackageSignature.privateKey(Files.readString(key));
                UpdateManifest m = PackageBuilder.build(payloadDir, new PackageBuilder.Spec(version, appliesTo,
                        minimumFrom, requiresNewActivation, healthcheckTimeout), privateKey, out);
                var view = java.util.Map.of("file", out.toString(), "version", m.version(),
                        "keyId", PackageSignature.keyId(PackageSignature.publicKeyOf(privateKey)),
                        "payloadSha256", m.payloadSha256());
                var w = spec.commandLine().getOut();
                if (json) {
                    w.println(io.sensorfleet.agent.AgentJson.mapper().writeValueAsString(view));
                } else {
                    w.println("package " + out + ": version " + m.version() + " for " + m.describeAppliesTo()
                            + ", signed with key " + view.get("keyId"));
                }
                w.flush();
                return AgentCli.OK;
            } catch (IllegalArgumentException e) {
                throw new AgentException("cannot build the package: " + e.getMessage());
            } catch (IOException e) {
                throw new AgentException("cannot build the package: " + e.getMessage() + " (" + e.getClass().getSimpleName() + ")");
            }
        }
    }
}
