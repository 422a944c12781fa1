package io.sensorfleet.agent.cli;

import io.sensorfleet.agent.AgentConfig;
import io.sensorfleet.agent.AgentJson;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;

/** Options every command takes. */
final class CommonOptions {

    @Option(names = "--state-dir", paramLabel = "<dir>",
            description = "Where the sensor's identity, keys and status live (default: /var/lib/sensorfleet-agent).")
    Path stateDir;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    AgentConfig apply(AgentConfig defaults) {
        return stateDir == null ? defaults : defaults.withStateDir(stateDir);
    }

    void print(PrintWriter out, Object view, String text) {
        if (json) {
            out.println(AgentJson.mapper().pretty().writeValueAsString(view));
        } else {
            out.println(text);
        }
        out.flush();
    }
}
