package io.sensorfleet.agent.cli;

import io.sensorfleet.agent.AgentConfig;
import io.sensorfleet.agent.InvalidInputException;
import io.sensorfleet.agent.update.UpdateException;
import io.sensorfleet.agent.update.VendorKeyRing;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeSet;
import java.util.concurrent.Callable;

@Command(name = "vendor-keys", mixinStandardHelpOptions = true,
        description = "Shows the vendor keys this sensor trusts for update packages or, with --rotate, replaces them"
                + " with a key list signed by a key it trusts now (a key list signed by any other key is refused).")
final class VendorKeysCommand implements Callable<Integer> {
    private final AgentConfig defaults;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    VendorKeysOption vendorKeys;

    @Option(names = "--rotate", paramLabel = "<key-list.pem>", description = "The new list of vendor public keys (PEM).")
    Path list;

    @Option(names = "--signature", paramLabel = "<key-list.sig>",
            description = "Its signature (the manifest.sig format) by a key trusted now; required with --rotate.")
    Path signature;

    VendorKeysCommand(AgentConfig defaults) {
        this.defaults = defaults;
    }

    @Override
    public Integer call() throws IOException {
        AgentConfig config = common.apply(defaults);
        VendorKeyRing ring = vendorKeys.ring(config.stateDir());
        if (list != null) {
            if (signature == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--rotate needs --signature");
            }
            if (!Files.isRegularFile(list) || !Files.isRegularFile(signature)) {
                throw new InvalidInputException("no such file: " + (Files.isRegularFile(list) ? signature : list));
            }
            try {
                String signer = ring.rotate(Files.readAllBytes(list), Files.readAllBytes(signature));
                spec.commandLine().getOut().println("key list accepted (signed by " + signer + ")");
            } catch (UpdateException e) {
                throw new InvalidInputException(e.getMessage());
            }
        }
        TreeSet<String> ids;
        try {
            ids = new TreeSet<>(ring.trusted().keySet());
        } catch (java.nio.file.NoSuchFileException e) {
            throw new InvalidInputException("no pinned vendor keys: " + e.getFile() + " is missing");
        }
        common.print(spec.commandLine().getOut(), ids, "trusted vendor keys: " + String.join(", ", ids));
        return AgentCli.OK;
    }
}
