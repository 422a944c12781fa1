package io.sensorfleet.cli;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Map;

/**
 * What a command may touch of the world: the environment, the terminal and the clock. Given to
 * every command through its constructor, so tests run commands without a process.
 *
 * @param passwords reads a secret without echo when a terminal is attached (null: read stdin)
 */
public record Context(Map<String, String> env, BufferedReader in, PrintWriter out, PrintWriter err, Clock clock,
                      PasswordReader passwords) {

    /** Reads a secret from the terminal without echo. */
    @FunctionalInterface
    public interface PasswordReader {
        char[] read(String prompt);
    }

    public SessionStore sessions() {
        return SessionStore.fromEnvironment(env);
    }
}
