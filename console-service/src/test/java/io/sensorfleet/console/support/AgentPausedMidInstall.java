package io.sensorfleet.console.support;

import io.sensorfleet.agent.AgentConfig;
import io.sensorfleet.agent.cli.AgentCli;
import io.sensorfleet.agent.update.Installer;
import io.sensorfleet.protocol.v1.update.UpdateStage;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A test entry point for the real agent CLI that stops an update at {@code INSTALLING} (after the
 * switch, before the health check): it writes {@code updates/paused-at-INSTALLING} in the state dir
 * and sleeps, so a test can kill the process exactly there. The production agent has no such hook;
 * this one goes in through the installer's constructor seam.
 */
public final class AgentPausedMidInstall {
    public static final String MARKER = "updates/paused-at-INSTALLING";

    private AgentPausedMidInstall() {
    }

    public static void main(String[] args) {
        System.setProperty("jdk.httpclient.keepalive.timeout", "90");
        Installer.StageHook pause = (stage, stateDir) -> {
            if (stage != UpdateStage.INSTALLING) {
                return;
            }
            try {
                Files.createDirectories(stateDir.resolve(MARKER).getParent());
                Files.writeString(stateDir.resolve(MARKER), "");
                Thread.sleep(Duration.ofMinutes(5));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(AgentCli.execute(args, AgentConfig.defaults(), pause, out, err));
    }

    /** A process running this entry point on this test JVM's runtime and class path. */
    public static ProcessBuilder process(String... args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(AgentPausedMidInstall.class.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    public static Path marker(Path stateDir) {
        return stateDir.resolve(MARKER);
    }
}
