package io.sensorfleet.agent.update;

import io.sensorfleet.agent.AgentConfig;
import io.sensorfleet.agent.AgentJson;
import io.sensorfleet.agent.AgentLog;
import io.sensorfleet.agent.PollLoop;
import io.sensorfleet.agent.backup.BackupClient;
import io.sensorfleet.agent.backup.BackupException;
import io.sensorfleet.agent.backup.BackupTaker;
import io.sensorfleet.agent.client.ConsoleCallException;
import io.sensorfleet.agent.client.ConsoleException;
import io.sensorfleet.agent.session.ConsoleSession;
import io.sensorfleet.agent.identity.NotConnectedException;
import io.sensorfleet.agent.identity.StateDir;
import io.sensorfleet.protocol.v1.enrollment.AgentAddress;
import io.sensorfleet.protocol.v1.AgentPaths;
import io.sensorfleet.protocol.v1.update.UpdateProgress;
import io.sensorfleet.protocol.v1.update.UpdateStage;
import io.sensorfleet.protocol.v1.update.UpdateTask;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;

/**
 * Carries out the console's software updates: takes a task from the work loop ({@link #handle}) or,
 * against a console without the work channel, long-polls for one ({@link #run()}); downloads the
 * package resumably, takes a local backup, verifies, installs and validates it through the
 * {@link Installer}, and reports every stage. A final report the console could not take is kept in
 * the state dir and sent again, so an outcome is never lost to a network failure or a restart.
 */
public final class UpdateLoop {
    public static final String UPDATES = "updates";
    static final Duration POLL_WAIT = Duration.ofSeconds(25);
    static final int TRANSFER_ATTEMPTS = 8;
    static final Duration WATCH_POLL = Duration.ofSeconds(1);

    /** What one step did. */
    public enum Outcome { UPDATED, ENDED, IDLE, NOT_CONNECTED, UNREACHABLE }

    private final AgentConfig config;
    private final StateDir stateDir;
    private final ConsoleSession session;
    private final BackupTaker taker;
    private final Installer installer;
    private final VendorKeyRing keys;
    private final Runnable handOver;
    private final Random random;
    private final AgentLog log;
    private final Path updatesDir;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private volatile Thread polling;
    private int failures;
    private Duration emptyPause = Duration.ZERO;

    /**
     * @param keys     the vendor keys packages must be signed with (never the console's)
     * @param handOver called once a new agent build is current: the daemon exits so the launcher
     *                 starts it; null installs in place (in-process agents)
     */
    public UpdateLoop(AgentConfig config, StateDir stateDir, ConsoleSession session, BackupTaker taker,
                      Installer installer, VendorKeyRing keys, Runnable handOver, Random random, AgentLog log) {
        this.keys = keys;
        this.handOver = handOver;
        this.config = config;
        this.stateDir = stateDir;
        this.session = session;
        this.taker = taker;
        this.installer = installer;
        this.random = random;
        this.log = log;
        this.updatesDir = stateDir.path().resolve(UPDATES);
    }

    /** Settles an installation the agent was stopped in; once at start, before any task. */
    public void recover() {
        try {
            installer.settle().ifPresent(this::settled);
        } catch (IOException | RuntimeException e) {
            log.warn("update recovery failed: " + e.getMessage());
        }
    }

    private void settled(Installer.Settled s) {
        UpdateProgress report = s.report();
        if (report.stage() == UpdateStage.SUCCEEDED) {
            log.info("update: " + report.detail());
        } else {
            log.warn("update: " + report.detail());
        }
        if (!s.local() && report.taskId() != null) {
            keep(report);
            deliverKeptReports();
        }
    }

    /**
     * While this version is watched after a hand-over, waits for its watcher's verdict and reports
     * it (SUCCEEDED once the watch window held); returns at once when nothing is watched.
     */
    public void awaitWatch() {
        boolean announced = false;
        try {
            while (stopped.getCount() > 0) {
                Optional<UpdateJournal> j = UpdateJournal.read(updatesDir);
                if (j.isEmpty()) {
                    return;
                }
                if (!"WATCHING".equals(j.get().phase())) {
                    recover();
                    return;
                }
                if (!announced && !j.get().local() && j.get().taskId() != null) {
                    announced = announce(j.get());
                }
                if (stopped.await(WATCH_POLL.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean announce(UpdateJournal j) {
        if (!j.to().equals(InstalledVersions.running(stateDir.path(), null))) {
            return false;
        }
        try {
            session.lease();
            client().postNoContent(address(), AgentPaths.UPDATE_PROGRESS, new UpdateProgress(j.taskId(),
                    UpdateStage.VALIDATING, null, "version " + j.to() + " started (process " + ProcessHandle.current().pid()
                    + "); watched for " + j.window() + " s", null, null));
            return true;
        } catch (NotConnectedException | ConsoleCallException e) {
            return false;
        }
    }

    /** The per-feature long-poll, for a console without the work channel. */
    public void run() {
        recover();
        PollLoop.repeat(stopped, log, "update loop", () -> pause(runOnce()), () -> {
            failures++;
            return pause(Outcome.UNREACHABLE);
        });
    }

    public void stop() {
        stopped.countDown();
        Thread t = polling;
        if (t != null) {
            // java.net.http cancels a request whose sending thread is interrupted.
            t.interrupt();
        }
    }

    /** Sends the final reports the console could not take before; false when it still cannot. */
    public boolean deliverKeptReports() {
        try {
            session.lease();
            deliverKept();
            return true;
        } catch (NotConnectedException e) {
            return false;
        } catch (ConsoleCallException e) {
            session.failed(address(), e);
            return false;
        }
    }

    /** Carries out one update task the console handed out (through whichever long-poll). */
    public Outcome handle(UpdateTask task) {
        return update(task);
    }

    /** Sends kept reports, then one long-poll and, when a task arrives, the update. */
    public Outcome runOnce() {
        AgentAddress address;
        try {
            address = session.address();
        } catch (NotConnectedException e) {
            return Outcome.NOT_CONNECTED;
        }
        Optional<UpdateTask> task;
        try {
            deliverKept();
            polling = Thread.currentThread();
            try {
                long started = System.nanoTime();
                task = client().poll(address, AgentPaths.UPDATE_TASKS, POLL_WAIT, UpdateTask.class);
                emptyPause = task.isEmpty() ? PollLoop.afterEmptyPoll(POLL_WAIT, started) : Duration.ZERO;
            } finally {
                polling = null;
            }
            failures = 0;
        } catch (ConsoleCallException e) {
            failures++;
            session.failed(address, e);
            if (failures == 1 || failures % 10 == 0) {
                log.warn("update task poll failed (" + failures + " in a row): " + e.getMessage());
            }
            return Outcome.UNREACHABLE;
        }
        if (task.isEmpty()) {
            return Outcome.IDLE;
        }
        return update(task.get());
    }

    private Outcome update(UpdateTask task) {
        String from = InstalledVersions.running(stateDir.path(), config.softwareVersion());
        Path pkg = updatesDir.resolve(task.taskId() + ".pkg");
        Path payload = updatesDir.resolve(task.taskId() + ".payload.tar");
        log.info("update to " + task.version() + " (task " + task.taskId() + ") starts on version " + from);
        try {
            Files.createDirectories(updatesDir);
            new PackageDownload(client(), this::progress, this::address, this::nextAddress, config.backoffBase(), random)
                    .fetch(task, pkg, TRANSFER_ATTEMPTS);
            progress(task, UpdateStage.BACKING_UP, null, "taking a local backup before installing");
            taker.take();
            progress(task, UpdateStage.VERIFYING, null, "checking signature, manifest and payload digest");
            var manifest = PackageCheck.verify(pkg, payload, task.version(), from, keys);
            Installer.Watch watch = handOver == null ? null : new Installer.Watch(
                    HandOver.watchWindow(task.watchSeconds(), stateDir.path()),
                    HandOver.firstHeartbeatWithin(stateDir.path()), false);
            // Once installing has begun it runs to its end (healthy, or switched back) whatever the console says.
            Installer.Outcome o = installer.install(task.taskId(), payload, manifest, from,
                    stage -> progressToTheEnd(task, stage, stage == UpdateStage.INSTALLING
                            ? "installing version " + task.version() : "running the health check"), watch);
            if (o.handedOver()) {
                progressToTheEnd(task, UpdateStage.VALIDATING, o.detail());
                log.info("update " + task.taskId() + ": " + o.detail());
                handOver.run();
                return Outcome.UPDATED;
            }
            finish(task, o.stage(), o.detail(), o.log(), o.version());
            return Outcome.UPDATED;
        } catch (TaskEndedException e) {
            log.warn("update task " + task.taskId() + " was ended by the console: " + e.getMessage());
            return Outcome.ENDED;
        } catch (UpdateException e) {
            finish(task, UpdateStage.FAILED, e.getMessage(), e.log(), from);
        } catch (BackupException e) {
            finish(task, UpdateStage.FAILED, "the backup before installing failed: " + e.getMessage(), null, from);
        } catch (IOException | RuntimeException e) {
            finish(task, UpdateStage.FAILED, "the sensor could not install the update: " + e.getMessage(), null,
                    InstalledVersions.running(stateDir.path(), config.softwareVersion()));
        } finally {
            quietlyDelete(pkg, payload);
        }
        return Outcome.ENDED;
    }

    private void finish(UpdateTask task, UpdateStage stage, String detail, String output, String version) {
        log.info("update " + task.taskId() + " ended " + stage + ": " + detail);
        UpdateProgress report = new UpdateProgress(task.taskId(), stage, null, detail, output, version);
        keep(report);
        try {
            deliverKept();
        } catch (ConsoleCallException e) {
            log.warn("the outcome of update " + task.taskId() + " is kept and sent later: " + e.getMessage());
        }
    }

    /** Reports a stage; a console that ended the task (409) stops the update before anything is installed. */
    void progress(UpdateTask task, UpdateStage stage, Integer percent, String detail) {
        try {
            client().postNoContent(address(), AgentPaths.UPDATE_PROGRESS,
                    new UpdateProgress(task.taskId(), stage, percent, detail, null, null));
        } catch (ConsoleException e) {
            if (e.status() == 409 || e.status() == 404) {
                throw new TaskEndedException(e.getMessage());
            }
            log.warn("update progress not accepted: " + e.getMessage());
        } catch (ConsoleCallException e) {
            log.warn("update progress not delivered: " + e.getMessage());
        }
    }

    private void progressToTheEnd(UpdateTask task, UpdateStage stage, String detail) {
        try {
            progress(task, stage, null, detail);
        } catch (TaskEndedException e) {
            log.warn("the console ended update " + task.taskId() + " (" + e.getMessage() + "); the installation "
                    + "is finished first and its outcome reported");
        }
    }

    private void keep(UpdateProgress report) {
        try {
            Files.createDirectories(updatesDir);
            Path tmp = updatesDir.resolve("report-" + report.taskId() + ".json.tmp");
            Files.write(tmp, AgentJson.mapper().writeValueAsBytes(report));
            Files.move(tmp, updatesDir.resolve("report-" + report.taskId() + ".json"),
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            log.warn("cannot keep the update report: " + e.getMessage());
        }
    }

    private void deliverKept() throws ConsoleCallException {
        if (!Files.isDirectory(updatesDir)) {
            return;
        }
        List<Path> kept;
        try (var files = Files.list(updatesDir)) {
            kept = files.filter(p -> p.getFileName().toString().matches("report-.*\\.json")).toList();
        } catch (IOException e) {
            return;
        }
        for (Path f : kept) {
            try {
                UpdateProgress r = AgentJson.mapper().readValue(f, UpdateProgress.class);
                if (r.taskId() != null) {
                    client().postNoContent(address(), AgentPaths.UPDATE_PROGRESS, r);
                }
                Files.deleteIfExists(f);
            } catch (ConsoleException e) {
                if (!e.transientFailure()) {
                    log.warn("the console refused a kept update report (" + e.getMessage() + "); dropped");
                    quietlyDelete(f);
                } else {
                    throw e;
                }
            } catch (IOException e) {
                quietlyDelete(f);
            }
        }
    }

    private Duration pause(Outcome outcome) {
        return switch (outcome) {
            case NOT_CONNECTED -> Duration.ofSeconds(5);
            case UNREACHABLE -> session.backoff(failures, Duration.ofSeconds(30), null);
            case IDLE -> emptyPause;
            default -> Duration.ZERO;
        };
    }

    private AgentAddress address() {
        return session.address();
    }

    private void nextAddress() {
        session.failed(address(), new io.sensorfleet.agent.client.ConsoleUnreachableException(address(),
                "transfer interrupted", null));
    }

    private BackupClient client() {
        return session.lease().transfers();
    }

    private static void quietlyDelete(Path... files) {
        for (Path f : files) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException e) {
                // left for the next update of the same task id, which never comes: harmless
            }
        }
    }

    /** The console no longer wants this update. */
    static final class TaskEndedException extends RuntimeException {
        TaskEndedException(String message) {
            super(message);
        }
    }
}
