package io.sensorfleet.agent;

import io.sensorfleet.agent.cli.AgentCli;

import java.io.PrintWriter;
import java.nio.charset.Charset;

/** Entry point of {@code sensor-agent.jar}. */
public final class Main {
    /**
     * java.net.http closes a pooled connection idle for 30 s by default, and the agent reports every
     * 30 s ± 10 %: about every other heartbeat would pay a new mutual-TLS handshake (measured: 3×
     * the console CPU per heartbeat). 90 s outlives the interval and stays under the console's
     * 120 s idle timeout.
     */
    static final String KEEPALIVE_PROPERTY = "jdk.httpclient.keepalive.timeout";
    static final String KEEPALIVE_SECONDS = "90";

    private Main() {
    }

    /** Before the first HttpClient exists (the JDK reads it once); an operator's -D value wins. */
    static void keepConnectionsAcrossHeartbeats() {
        if (System.getProperty(KEEPALIVE_PROPERTY) == null) {
            System.setProperty(KEEPALIVE_PROPERTY, KEEPALIVE_SECONDS);
        }
    }

    public static void main(String[] args) {
        keepConnectionsAcrossHeartbeats();
        Charset charset = Charset.defaultCharset();
        int code = AgentCli.execute(args, AgentConfig.defaults(),
                new PrintWriter(System.out, true, charset), new PrintWriter(System.err, true, charset));
        System.exit(code);
    }
}
