package io.sensorfleet.agent.appliance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the system's own tools (ip, hostname, timedatectl …); a seam so tests can record calls. */
@FunctionalInterface
public interface Commands {

    /** What a command said. */
    record Result(int exit, String out, String err) {
        public boolean ok() {
            return exit == 0;
        }

        /** The first line of what went wrong, for a reason an operator reads. */
        public String reason() {
            String text = (err.isBlank() ? out : err).strip();
            int nl = text.indexOf('\n');
            return "exit " + exit + (text.isEmpty() ? "" : ": " + (nl < 0 ? text : text.substring(0, nl)));
        }
    }

    Result run(List<String> argv) throws IOException;

    /** Real processes, each killed when it outlives {@code timeout}. */
    static Commands system(Duration timeout) {
        return argv -> {
            Process p = new ProcessBuilder(argv).start();
            p.getOutputStream().close();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> drain(p.getInputStream()));
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
            try {
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    return new Result(124, "", String.join(" ", argv) + " did not finish within " + timeout.toSeconds() + " s");
                }
                return new Result(p.exitValue(), new String(out.join(), StandardCharsets.UTF_8),
                        new String(err.join(), StandardCharsets.UTF_8));
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while running " + argv.getFirst(), e);
            }
        };
    }

    private static byte[] drain(java.io.InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
