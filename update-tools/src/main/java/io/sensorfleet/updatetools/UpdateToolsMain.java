package io.sensorfleet.updatetools;

import io.sensorfleet.agent.AgentConfig;
import io.sensorfleet.agent.cli.AgentCli;

import java.io.PrintWriter;
import java.nio.charset.Charset;

/**
 * Entry point of {@code update-tools.jar}, the vendor's side of software updates: builds and signs
 * packages. Kept out of the agent so that no sensor carries a signing tool.
 */
public final class UpdateToolsMain {
    private UpdateToolsMain() {
    }

    public static void main(String[] args) {
        Charset charset = Charset.defaultCharset();
        System.exit(run(args, new PrintWriter(System.out, true, charset), new PrintWriter(System.err, true, charset)));
    }

    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return AgentCli.execute(new PackageCommand(), args, AgentConfig.defaults(), out, err);
    }
}
