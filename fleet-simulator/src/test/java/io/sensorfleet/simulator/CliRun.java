package io.sensorfleet.simulator;

import io.sensorfleet.agent.AgentConfig;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/** One simulator invocation, in process, with what it printed. */
record CliRun(int exitCode, String out, String err) {

    static CliRun of(AgentConfig defaults, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SimulatorMain.run(args, defaults, new PrintWriter(out), new PrintWriter(err));
        return new CliRun(code, out.toString(), err.toString());
    }

    List<String> errLines() {
        return err.lines().toList();
    }
}
