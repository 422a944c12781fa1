package io.sensorfleet.console.support;

import io.sensorfleet.lib.packages.PackageSignature;
import io.sensorfleet.updatetools.AgentPayload;
import io.sensorfleet.updatetools.PackageBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Real agent builds for hand-over tests: the agent jar of this build stamped with another version
 * (as update packages carry it), sensors whose state dir has such a build installed as their
 * current version, and the real launcher running them as a daemon. The launcher's watcher is what
 * is tested, so nothing here reaches into a running agent: it is observed through its state dir,
 * {@code /proc} and the console.
 */
public final class AgentBuilds {
    private AgentBuilds() {
    }

    public static Path launcher() {
        return ThrowawayPostgres.repoRoot().resolve("sensor-agent/bin/sensor-agent");
    }

    public static Path agentJar() {
        Path jar = ThrowawayPostgres.repoRoot().resolve("sensor-agent/target/sensor-agent.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build the agent first (./mvnw -pl sensor-agent -am package)");
        }
        return jar;
    }

    public static KeyPair newKey() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Path writePublicKey(KeyPair key, Path file) {
        try {
            Files.writeString(file, PackageSignature.pem(key.getPublic()));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A payload directory holding this build stamped {@code version}; {@code extra} adds files (e.g. health defaults). */
    public static Path payload(Path dir, String version, Consumer<Path> extra) {
        try {
            Path payload = AgentPayload.write(agentJar(), version, dir.resolve("payload-" + version + "-" + System.nanoTime()));
            extra.accept(payload);
            return payload;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A signed update package installing {@code payload} as {@code version} on {@code from}. */
    public static Path pkg(Path dir, Path payload, String version, String from, PrivateKey key) {
        try {
            Path out = dir.resolve("sensor-" + version + "-" + System.nanoTime() + ".pkg");
            PackageBuilder.build(payload, new PackageBuilder.Spec(version, List.of(from), null, false, 30), key, out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A state dir whose current version is this build stamped {@code version}, as an earlier update left it. */
    public static Path sensorOn(Path dir, String version) {
        try {
            Path state = dir.resolve("state");
            Path payload = payload(dir, version, p -> { });
            Path installed = Files.createDirectories(state.resolve("versions"));
            Files.move(payload, installed.resolve(version));
            Files.createSymbolicLink(installed.resolve("current"), Path.of(version));
            return state;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The environment the launcher runs with: the pinned keys, and a quick watcher and restart. */
    public static Map<String, String> env(Path pinnedKeys) {
        Map<String, String> env = new HashMap<>();
        env.put("SENSORFLEET_VENDOR_KEYS", pinnedKeys.toString());
        env.put("SENSORFLEET_WATCH_POLL_SECONDS", "1");
        env.put("SENSORFLEET_RESTART_SECONDS", "1");
        return env;
    }

    public static Cli.Result cli(Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>();
        command.add("env");
        env.forEach((k, v) -> command.add(k + "=" + v));
        command.add(launcher().toString());
        command.addAll(List.of(args));
        return Cli.run(command, null);
    }

    /** The launcher running {@code run} on {@code state}, output appended to {@code state/../run.log}. */
    public static Process daemon(Path state, Map<String, String> env) {
        try {
            ProcessBuilder pb = new ProcessBuilder(launcher().toString(), "run", "--state-dir", state.toString(),
                    "--interval-seconds", "2").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(state.resolveSibling("run.log").toFile()));
            pb.environment().putAll(env);
            pb.environment().remove("INVOCATION_ID");
            return pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The process id the agent daemon wrote, when one runs. */
    public static Optional<Long> agentPid(Path state) {
        try {
            long pid = Long.parseLong(Files.readString(state.resolve("updates/agent.pid")).strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(p -> pid);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The command line of a process, as the kernel shows it (NUL-separated arguments joined by spaces). */
    public static String cmdline(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    public static String current(Path state) {
        try {
            return Files.readSymbolicLink(state.resolve("versions/current")).toString();
        } catch (IOException e) {
            return "";
        }
    }

    /** Stops a launcher and its agent: TERM to the launcher (it stops the agent), KILL after a grace. */
    public static void stop(Process launcher) {
        List<ProcessHandle> children = launcher.descendants().toList();
        launcher.destroy();
        try {
            if (!launcher.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                launcher.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }

    /** Reads the journal of an update in progress ({@code key=value} lines), empty when none. */
    public static Map<String, String> journal(Path state) {
        Map<String, String> v = new HashMap<>();
        try {
            for (String line : Files.readAllLines(state.resolve("updates/journal"))) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    v.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
        } catch (IOException e) {
            // no update in progress
        }
        return v;
    }
}
