package io.sensorfleet.agent.health;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * How the checks read the appliance: files under the system root, file-system usage and a few
 * commands (systemctl, timedatectl). An interface so tests give fake trees and fake commands.
 */
public interface Probe {

    /** Usage of the file system holding {@code path}. */
    record Usage(long totalBytes, long availableBytes) {
        public double usedPercent() {
            return totalBytes <= 0 ? 0 : (totalBytes - availableBytes) * 100.0 / totalBytes;
        }
    }

    /** The system root {@code /proc}, {@code /sys} and the mounts are looked up under. */
    Path root();

    /** A file's text, or empty when it does not exist or cannot be read. */
    Optional<String> read(Path file);

    List<Path> list(Path dir);

    Optional<Usage> usage(Path path);

    /**
     * Runs a command; its output when it exits (any exit code), empty when it cannot be started.
     * The exit code is the first line of the answer: "0", "3"…
     */
    Optional<String> run(List<String> command);

    /** Reads the real system under {@code root}; commands run with a 2 s timeout. */
    static Probe system(Path root) {
        return new Probe() {
            @Override
            public Path root() {
                return root;
            }

            @Override
            public Optional<String> read(Path file) {
                try {
                    return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
                } catch (IOException | RuntimeException e) {
                    return Optional.empty();
                }
            }

            @Override
            public List<Path> list(Path dir) {
                try (var s = Files.list(dir)) {
                    return s.toList();
                } catch (IOException | RuntimeException e) {
                    return List.of();
                }
            }

            @Override
            public Optional<Usage> usage(Path path) {
                try {
                    FileStore store = Files.getFileStore(path);
                    return Optional.of(new Usage(store.getTotalSpace(), store.getUsableSpace()));
                } catch (IOException | RuntimeException e) {
                    return Optional.empty();
                }
            }

            @Override
            public Optional<String> run(List<String> command) {
                try {
                    Process p = new ProcessBuilder(command).redirectErrorStream(true)
                            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
                    if (!p.waitFor(2, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                        return Optional.empty();
                    }
                    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    List<String> lines = new ArrayList<>();
                    lines.add(Integer.toString(p.exitValue()));
                    lines.add(out.strip());
                    return Optional.of(String.join("\n", lines));
                } catch (IOException e) {
                    return Optional.empty();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Optional.empty();
                }
            }
        };
    }
}
