package io.sensorfleet.simulator;

import io.sensorfleet.agent.AgentConfig;
import io.sensorfleet.agent.cli.AgentCli;

import java.io.PrintWriter;
import java.nio.charset.Charset;

/**
 * Entry point of {@code fleet-simulator.jar}: many simulated sensors in one JVM, for tests and
 * benchmarks. A tool of its own so that no sensor carries it (nor the operator login it uses).
 */
public final class SimulatorMain {
    private SimulatorMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, AgentConfig.defaults()));
    }

    static int run(String[] args, AgentConfig defaults) {
        Charset charset = Charset.defaultCharset();
        return run(args, defaults, new PrintWriter(System.out, true, charset), new PrintWriter(System.err, true, charset));
    }

    public static int run(String[] args, AgentConfig defaults, PrintWriter out, PrintWriter err) {
        return AgentCli.execute(new SimulateCommand(defaults), args, defaults, out, err);
    }
}
