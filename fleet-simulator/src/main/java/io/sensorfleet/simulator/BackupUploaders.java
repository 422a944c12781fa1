package io.sensorfleet.simulator;

import io.sensorfleet.agent.backup.BackupClient;
import io.sensorfleet.agent.client.ConsoleCallException;
import io.sensorfleet.protocol.v1.enrollment.AgentAddress;
import io.sensorfleet.protocol.v1.backup.BackupTask;
import io.sensorfleet.protocol.v1.backup.BackupTaskResult;
import io.sensorfleet.protocol.v1.backup.BackupUploadRequest;
import io.sensorfleet.protocol.v1.backup.BackupUploadStatus;
import io.sensorfleet.protocol.v1.backup.BackupFailureKind;
import io.sensorfleet.lib.backup.BackupNames;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The first N sensors poll for backup tasks as the agent's backup loop does and, when asked for a
 * backup, upload one given file (the same bytes for every sensor, streamed from disk by the agent's
 * own {@link BackupClient}, resumed where the console says it stopped). Restores are refused.
 */
final class BackupUploaders implements Workload {
    private static final Duration WAIT = Duration.ofSeconds(25);
    private static final int ATTEMPTS = 5;

    private final SimulatorOptions options;
    private final SensorTls tls;
    private final Path file;
    private final int sensors;
    private final List<Thread> threads = new ArrayList<>();
    private final ConcurrentLinkedQueue<Upload> uploads = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Outcomes outcomes = new Outcomes();
    private long size;
    private String sha256;
    private volatile boolean running = true;
    /**
     * The upload clients' TLS and body work, at the lowest Java priority. The simulated uploaders
     * stand for sensors on machines of their own; here they share the cores with the heartbeating
     * sensors, whose virtual threads wait for one of two carrier threads. At equal priority twenty
     * busy upload threads delayed those heartbeats by up to 1.4 s (p99 scheduling lag), so the
     * heartbeat latency measured during uploads was the simulator's, not the console's. With
     * {@code -XX:ThreadPriorityPolicy=1} (bench/run.sh) they run at a lower operating-system priority.
     */
    private final ExecutorService transfers = Executors.newCachedThreadPool(
            Thread.ofPlatform().name("backup-upload-client-", 1).daemon().priority(Thread.MIN_PRIORITY).factory());

    /** One upload as the sensor saw it. */
    record Upload(String sensorId, long bytes, long startEpochMs, long endEpochMs, double megabytesPerSecond,
                  int attempts, boolean complete) {
    }

    record Report(String file, long fileBytes, int sensors, List<Upload> uploads, java.util.Map<String, Long> failures,
                  java.util.Map<String, String> failureExamples) {
    }

    BackupUploaders(SimulatorOptions options, SensorTls tls, Path file, int sensors) {
        this.options = options;
        this.tls = tls;
        this.file = file;
        this.sensors = sensors;
    }

    @Override
    public String name() {
        return "backups";
    }

    @Override
    public void start(List<SimulatedIdentity> identities, Phases phases, Duration ramp) {
        try {
            size = Files.size(file);
            sha256 = sha256(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("--backup-file " + file + ": " + e.getMessage(), e);
        }
        for (SimulatedIdentity identity : identities.subList(0, Math.min(sensors, identities.size()))) {
            threads.add(Thread.ofVirtual().start(() -> serve(identity)));
        }
    }

    private void serve(SimulatedIdentity identity) {
        AgentAddress address = identity.addresses().getFirst();
        try (BackupClient client = new BackupClient(tls.mutual(identity), options.requestTimeout(), transfers)) {
            while (running) {
                try {
                    var task = client.nextTask(address, WAIT);
                    if (task.isEmpty()) {
                        continue;
                    }
                    if (task.get().action() == BackupTask.Action.BACKUP) {
                        upload(client, address, identity, task.get());
                    } else {
                        client.report(address, new BackupTaskResult(task.get().taskId(), false, BackupFailureKind.SENSOR_ERROR,
                                "simulated sensors do not restore"));
                    }
                } catch (ConsoleCallException e) {
                    if (!running) {
                        break;
                    }
                    outcomes.failed("poll:" + e.getClass().getSimpleName(), e.getMessage());
                    Thread.sleep(1000);
                }
            }
        } catch (InterruptedException e) {
            // stop()
        }
    }

    private void upload(BackupClient client, AgentAddress address, SimulatedIdentity identity, BackupTask task)
            throws InterruptedException {
        Instant takenAt = Instant.now();
        String name = BackupNames.fileName(identity.sensorName(), options.softwareVersion(),
                LocalDateTime.ofInstant(takenAt, ZoneOffset.UTC));
        BackupUploadRequest request = new BackupUploadRequest(task.taskId(), name, size, sha256,
                options.softwareVersion(), takenAt);
        long start = System.currentTimeMillis();
        inFlight.incrementAndGet();
        try {
            for (int attempt = 1; attempt <= ATTEMPTS && running; attempt++) {
                try {
                    BackupUploadStatus status = client.startUpload(address, request);
                    if (!status.complete()) {
                        status = client.upload(address, status.uploadId(), file, status.received(), size);
                    }
                    if (status.complete()) {
                        record(identity, start, attempt, true);
                        return;
                    }
                } catch (ConsoleCallException e) {
                    outcomes.failed("upload:" + e.getClass().getSimpleName(), e.getMessage());
                    Thread.sleep(1000L * attempt);
                }
            }
            record(identity, start, ATTEMPTS, false);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void record(SimulatedIdentity identity, long start, int attempts, boolean complete) {
        long end = System.currentTimeMillis();
        double mbps = complete ? size / 1e6 / Math.max(0.001, (end - start) / 1000.0) : 0;
        uploads.add(new Upload(identity.sensorId(), complete ? size : 0, start, end, Math.round(mbps * 10) / 10.0,
                attempts, complete));
    }

    @Override
    public void stop() throws InterruptedException {
        running = false;
        Workload.interruptAndJoin(threads, options);
        transfers.shutdownNow();
    }

    @Override
    public Report report() {
        return new Report(file.toString(), size, threads.size(), List.copyOf(uploads), outcomes.byKind(), outcomes.examples());
    }

    @Override
    public String progress() {
        return "backups: uploading=" + inFlight.get() + " done=" + uploads.stream().filter(Upload::complete).count()
                + " failures=" + outcomes.byKind();
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 20];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
