package io.sensorfleet.agent.cli;

import io.sensorfleet.agent.update.VendorKeyRing;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Where the vendor keys pinned by the agent package are: the commands that check update packages take it. */
final class VendorKeysOption {
    @Option(names = "--vendor-keys", paramLabel = "<file>",
            defaultValue = "${env:SENSORFLEET_VENDOR_KEYS:-/usr/share/sensorfleet-agent/vendor-keys.pem}",
            description = "PEM file of the vendor's update-signing public keys pinned by the agent package"
                    + " (default: $SENSORFLEET_VENDOR_KEYS, else ${DEFAULT-VALUE}). Rotations accepted since are"
                    + " kept in the state dir.")
    Path file;

    VendorKeyRing ring(Path stateDir) {
        return new VendorKeyRing(file, stateDir);
    }
}
