package io.sensorfleet.agent.update;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Runs a version's {@code healthcheck} executable with a timeout; exit 0 means healthy. */
public final class HealthCheck {
    /** The executable every package carries at its root (the package format; the vendor tool checks for it). */
    public static final String SCRIPT = "healthcheck";
    private static final int MAX_LOG = 64 * 1024;

    /** How it went; {@code output} is its stdout and stderr (the end of them when long). */
    record Result(boolean healthy, String summary, String output) {
    }

    private HealthCheck() {
    }

    static Result run(Path versionDir, Path stateDir, String version, Duration timeout) {
        Path script = versionDir.resolve(SCRIPT);
        if (!Files.isRegularFile(script) || !Files.isExecutable(script)) {
            return new Result(false, "the package has no executable " + SCRIPT, "");
        }
        Path out = versionDir.resolveSibling("." + version + ".healthcheck.log");
        try {
            ProcessBuilder pb = new ProcessBuilder(script.toAbsolutePath().toString()).directory(versionDir.toFile())
                    .redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            pb.environment().put("SENSORFLEET_STATE_DIR", stateDir.toAbsolutePath().toString());
            pb.environment().put("SENSORFLEET_VERSION", version);
            Process p = pb.start();
            boolean ended = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!ended) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                return new Result(false, "the health check did not finish within " + timeout.toSeconds() + " s", log(out));
            }
            int code = p.exitValue();
            return new Result(code == 0, code == 0 ? "healthy" : "the health check exited with " + code, log(out));
        } catch (IOException e) {
            return new Result(false, "cannot run the health check: " + e.getMessage(), "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(false, "interrupted while the health check ran", "");
        } finally {
            try {
                Files.deleteIfExists(out);
            } catch (IOException e) {
                // a leftover log is overwritten by the next check
            }
        }
    }

    private static String log(Path out) {
        try {
            byte[] b = Files.readAllBytes(out);
            int from = Math.max(0, b.length - MAX_LOG);
            return new String(b, from, b.length - from, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }
}
