package io.sensorfleet.agent.update;

import io.sensorfleet.agent.backup.BackupClient;
import io.sensorfleet.agent.client.ConsoleCallException;
import io.sensorfleet.agent.client.ConsoleException;
import io.sensorfleet.agent.session.Backoff;
import io.sensorfleet.protocol.v1.enrollment.AgentAddress;
import io.sensorfleet.protocol.v1.AgentPaths;
import io.sensorfleet.protocol.v1.update.UpdateStage;
import io.sensorfleet.protocol.v1.update.UpdateTask;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Downloads a package over the agent plane, resuming with {@code Range} after a break, reporting
 * the percentage as it grows, and checks the file's SHA-256 against the one the task announced.
 */
final class PackageDownload {
    /** Reports a stage with a percentage. */
    interface Progress {
        void report(UpdateTask task, UpdateStage stage, Integer percent, String detail);
    }

    private final BackupClient client;
    private final Progress progress;
    private final Supplier<AgentAddress> address;
    private final Runnable nextAddress;
    private final Duration backoffBase;
    private final Random random;

    PackageDownload(BackupClient client, Progress progress, Supplier<AgentAddress> address, Runnable nextAddress,
                    Duration backoffBase, Random random) {
        this.client = client;
        this.progress = progress;
        this.address = address;
        this.nextAddress = nextAddress;
        this.backoffBase = backoffBase;
        this.random = random;
    }

    void fetch(UpdateTask task, Path target, int attempts) throws UpdateException, IOException {
        progress.report(task, UpdateStage.DOWNLOADING, 0, "downloading " + task.size() + " bytes");
        Thread reporter = Thread.ofVirtual().start(() -> reportGrowth(task, target));
        try {
            for (int attempt = 1; attempt <= attempts; attempt++) {
                if (target.toFile().length() > task.size()) {
                    Files.delete(target);
                }
                try {
                    if (client.download(address.get(), AgentPaths.updatePackage(task.packageId()), target, task.size())
                            == task.size()) {
                        break;
                    }
                } catch (ConsoleException e) {
                    if (!e.transientFailure()) {
                        throw new UpdateException("the console refused the download: " + e.getMessage());
                    }
                    pause(attempt);
                } catch (ConsoleCallException e) {
                    nextAddress.run();
                    pause(attempt);
                }
                if (attempt == attempts) {
                    throw new UpdateException("the download gave up after " + attempts + " attempts at "
                            + target.toFile().length() + " of " + task.size() + " bytes");
                }
            }
        } finally {
            reporter.interrupt();
        }
        String sha = sha256(target);
        if (!sha.equals(task.sha256())) {
            Files.deleteIfExists(target);
            throw new UpdateException("the downloaded package's SHA-256 is " + sha + ", the console announced "
                    + task.sha256() + ": damaged in transit");
        }
        progress.report(task, UpdateStage.DOWNLOADING, 100, "downloaded");
    }

    private void reportGrowth(UpdateTask task, Path target) {
        int reported = 0;
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(500);
                int percent = (int) (100 * target.toFile().length() / Math.max(1, task.size()));
                if (percent >= reported + 10 && percent < 100) {
                    reported = percent;
                    progress.report(task, UpdateStage.DOWNLOADING, percent, "downloading");
                }
            }
        } catch (InterruptedException e) {
            // the download ended
        } catch (RuntimeException e) {
            // a report the console refused ends the task through the main thread's next report
        }
    }

    private void pause(int attempt) {
        try {
            Thread.sleep(new Backoff(backoffBase, Duration.ofSeconds(30)).delay(attempt, random));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[64 * 1024];
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                d.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
