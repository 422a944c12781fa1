package io.sensorfleet.agent;

import io.sensorfleet.agent.cli.AgentCli;

import java.io.PrintWriter;
import java.nio.charset.Charset;

/** Entry point of {@code sensor-agent.jar}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Charset charset = Charset.defaultCharset();
        int code = AgentCli.execute(args, AgentConfig.defaults(),
                new PrintWriter(System.out, true, charset), new PrintWriter(System.err, true, charset));
        System.exit(code);
    }
}
