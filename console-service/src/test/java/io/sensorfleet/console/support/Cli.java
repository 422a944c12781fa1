package io.sensorfleet.console.support;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs an independent command-line client (openssl, curl) and captures what it said. */
public final class Cli {
    public record Result(int exit, String out, String err) {
        public String all() {
            return out + err;
        }
    }

    private Cli() {
    }

    public static Result run(List<String> command, String stdin) {
        try {
            Process p = new ProcessBuilder(command).start();
            if (stdin != null) {
                p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            p.getOutputStream().close();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(command + " did not finish within 30 s");
            }
            return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                    new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException("cannot run " + command + ": " + e, e);
        }
    }
}
