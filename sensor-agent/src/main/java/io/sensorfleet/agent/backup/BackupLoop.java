package io.sensorfleet.agent.backup;

import io.sensorfleet.agent.AgentConfig;
import io.sensorfleet.agent.RunningVersion;
import io.sensorfleet.agent.AgentLog;
import io.sensorfleet.agent.PollLoop;
import io.sensorfleet.agent.Sleeper;
import io.sensorfleet.agent.client.ConsoleCallException;
import io.sensorfleet.agent.session.ConsoleSession;
import io.sensorfleet.agent.client.ConsoleException;
import io.sensorfleet.agent.identity.NotConnectedException;
import io.sensorfleet.agent.identity.StateDir;
import io.sensorfleet.agent.settings.SettingsStore;
import io.sensorfleet.lib.backup.SecretsInArchive;
import io.sensorfleet.protocol.v1.enrollment.AgentAddress;
import io.sensorfleet.protocol.v1.backup.BackupFailureKind;
import io.sensorfleet.protocol.v1.backup.BackupTask;
import io.sensorfleet.protocol.v1.backup.BackupTaskResult;
import io.sensorfleet.protocol.v1.backup.BackupUploadRequest;
import io.sensorfleet.protocol.v1.backup.BackupUploadStatus;
import io.sensorfleet.protocol.v1.backup.RestoreSource;
import io.sensorfleet.protocol.v1.settings.SettingsAck;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;

/**
 * Does the console's backup work: takes or reuses a backup and uploads it, or downloads one and
 * restores it. Tasks come from the work loop ({@link #handle}); against a console without the
 * work channel this loop long-polls the backup tasks endpoint itself ({@link #run()}). A
 * transfer that breaks off is resumed where the console's byte count says it stopped, up to
 * {@value #TRANSFER_ATTEMPTS} attempts with backoff; the checksum always covers the whole file.
 */
public final class BackupLoop {
    static final Duration POLL_WAIT = Duration.ofSeconds(25);
    static final int TRANSFER_ATTEMPTS = 8;

    /** What one step did. */
    public enum Outcome { UPLOADED, RESTORED, FAILED, IDLE, NOT_CONNECTED, UNREACHABLE }

    private final AgentConfig config;
    private final StateDir stateDir;
    private final ConsoleSession session;
    private final BackupTaker taker;
    private final Restorer restorer;
    private final Sleeper sleeper;
    private final Random random;
    private final AgentLog log;
    private final Duration pollWait;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private volatile Thread polling;
    private int failures;
    private Duration emptyPause = Duration.ZERO;

    public BackupLoop(AgentConfig config, StateDir stateDir, ConsoleSession session,
                      Sleeper sleeper, Random random, AgentLog log, Duration pollWait) {
        this.config = config;
        this.stateDir = stateDir;
        this.session = session;
        this.taker = new BackupTaker(config, stateDir);
        this.restorer = new Restorer(config, stateDir);
        this.sleeper = sleeper;
        this.random = random;
        this.log = log;
        this.pollWait = pollWait;
    }

    public BackupLoop(AgentConfig config, StateDir stateDir, ConsoleSession session, Random random, AgentLog log) {
        this(config, stateDir, session, Sleeper.system(), random, log, POLL_WAIT);
    }

    /** One long-poll and, when work arrives, the work. */
    public Outcome runOnce() {
        AgentAddress address;
        try {
            address = session.address();
        } catch (NotConnectedException e) {
            return Outcome.NOT_CONNECTED;
        }
        Optional<BackupTask> task;
        try {
            polling = Thread.currentThread();
            try {
                long started = System.nanoTime();
                task = transfers().nextTask(address, pollWait);
                emptyPause = task.isEmpty() ? PollLoop.afterEmptyPoll(pollWait, started) : Duration.ZERO;
            } finally {
                polling = null;
            }
            failures = 0;
        } catch (ConsoleCallException e) {
            failures++;
            session.failed(address, e);
            if (failures == 1 || failures % 10 == 0) {
                log.warn("backup task poll failed (" + failures + " in a row): " + e.getMessage());
            }
            return Outcome.UNREACHABLE;
        }
        if (task.isEmpty()) {
            return Outcome.IDLE;
        }
        return handle(task.get());
    }

    /** Carries out one backup or restore task the console handed out (through whichever long-poll). */
    public Outcome handle(BackupTask task) {
        return switch (task.action()) {
            case BACKUP -> backup(task);
            case RESTORE -> restore(task);
        };
    }

    /** Settles a restore the agent was stopped in; once at start, before any task. */
    public void recover() {
        try {
            StateLayout.ensure(stateDir.path());
            restorer.recover();
        } catch (RuntimeException e) {
            log.warn("backup loop: " + e.getMessage());
        }
    }

    /** The per-feature long-poll, for a console without the work channel. */
    public void run() {
        recover();
        PollLoop.repeat(stopped, log, "backup loop", () -> pause(runOnce()), () -> {
            failures++;
            return pause(Outcome.UNREACHABLE);
        });
    }

    private Duration pause(Outcome outcome) {
        return switch (outcome) {
            case NOT_CONNECTED -> Duration.ofSeconds(5);
            case UNREACHABLE -> session.backoff(failures, Duration.ofSeconds(30), null);
            case IDLE -> emptyPause;
            default -> Duration.ZERO;
        };
    }

    public void stop() {
        stopped.countDown();
        Thread t = polling;
        if (t != null) {
            // java.net.http cancels a request whose sending thread is interrupted.
            t.interrupt();
        }
    }

    private Outcome backup(BackupTask task) {
        LocalBackup backup;
        try {
            rememberSealingKey(task);
            backup = reusable(task).orElseGet(taker::take);
        } catch (BackupException e) {
            log.warn("backup for the console failed: " + e.getMessage());
            report(new BackupTaskResult(task.taskId(), false, e.kind(), e.getMessage()));
            return Outcome.FAILED;
        }
        BackupUploadRequest request = new BackupUploadRequest(task.taskId(), backup.fileName(), backup.size(),
                backup.sha256(), backup.softwareVersion(), backup.takenAt());
        for (int attempt = 1; attempt <= TRANSFER_ATTEMPTS; attempt++) {
            try {
                BackupUploadStatus status = transfers().startUpload(address(), request);
                if (!status.complete()) {
                    if (status.received() > 0) {
                        log.info("resuming the upload of " + backup.fileName() + " at byte " + status.received());
                    }
                    status = transfers().upload(address(), status.uploadId(), backup.file(), status.received(), backup.size());
                }
                if (status.complete()) {
                    log.info("backup " + backup.fileName() + " uploaded (" + backup.size() + " bytes)");
                    return Outcome.UPLOADED;
                }
            } catch (ConsoleException e) {
                if (!e.transientFailure() && !offsetMismatch(e)) {
                    // The console refused it (allocation, space, checksum…) and has recorded why.
                    log.warn("backup upload refused: " + e.getMessage());
                    return Outcome.FAILED;
                }
                pause(attempt, e);
            } catch (ConsoleCallException e) {
                pause(attempt, e);
            }
        }
        log.warn("backup upload of " + backup.fileName() + " gave up after " + TRANSFER_ATTEMPTS + " attempts");
        return Outcome.FAILED;
    }

    /** The console holds another number of bytes than the agent was told: ask again and continue from there. */
    private static boolean offsetMismatch(ConsoleException e) {
        return e.problem().map(p -> (io.sensorfleet.protocol.v1.Problem.TYPE_PREFIX + "offset-mismatch").equals(p.type()))
                .orElse(false);
    }

    private void rememberSealingKey(BackupTask task) {
        try {
            new SealingKeyFile(stateDir.path()).remember(task.sealingKey());
        } catch (IOException e) {
            throw new BackupException(BackupFailureKind.SENSOR_ERROR, "cannot keep the console's sealing key in "
                    + stateDir.path() + ": " + e.getMessage(), e);
        }
    }

    /**
     * For a scheduled collection: the newest local backup, if recent enough and of this version, and
     * with its secrets sealed whenever the console gave a key (one from before is taken again).
     */
    private Optional<LocalBackup> reusable(BackupTask task) {
        if (task.reuseWithinSeconds() <= 0) {
            return Optional.empty();
        }
        Instant oldest = config.clock().instant().minusSeconds(task.reuseWithinSeconds());
        Optional<LocalBackup> recent = taker.local().newest()
                .filter(b -> !b.takenAt().isBefore(oldest) && b.softwareVersion().equals(RunningVersion.of(config)))
                .filter(b -> task.sealingKey() == null || !holdsClearSecrets(b));
        if (recent.isEmpty() && !BackupSettings.read(new SettingsStore(stateDir.path())).enabled()) {
            throw new BackupException(BackupFailureKind.NOT_FOUND, "backups are disabled on this sensor "
                    + "(backup.enabled is false) and it has none from the last "
                    + Duration.ofSeconds(task.reuseWithinSeconds()).toHours() + " h");
        }
        return recent;
    }

    private static boolean holdsClearSecrets(LocalBackup b) {
        try {
            return SecretsInArchive.find(b.file()).kind() == SecretsInArchive.Kind.CLEAR;
        } catch (IOException e) {
            return true; // unreadable: take a new one rather than send it
        }
    }

    private Outcome restore(BackupTask task) {
        RestoreSource source = task.restore();
        Path part = taker.local().dir().resolve(".incoming-" + source.backupId() + ".tar.part");
        try {
            Files.createDirectories(part.getParent());
            if (!download(source, part)) {
                log.warn("restore: download of " + source.fileName() + " gave up after " + TRANSFER_ATTEMPTS + " attempts");
                return Outcome.FAILED;
            }
            byte[] secrets = source.secrets() == null ? null : source.secrets().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            BackupManifest m = restorer.restore(part, source.sha256(), secrets);
            log.info("restored " + source.fileName() + " (taken " + m.takenAt() + ")");
            report(new BackupTaskResult(task.taskId(), true, null, null));
            reportRestoredSettings();
            return Outcome.RESTORED;
        } catch (BackupException e) {
            log.warn("restore of " + source.fileName() + " refused: " + e.getMessage());
            report(new BackupTaskResult(task.taskId(), false, e.kind(), e.getMessage()));
            return Outcome.FAILED;
        } catch (IOException e) {
            report(new BackupTaskResult(task.taskId(), false, BackupFailureKind.SENSOR_ERROR,
                    "cannot store the download in " + part.getParent() + ": " + e.getMessage()));
            return Outcome.FAILED;
        } finally {
            try {
                Files.deleteIfExists(part);
            } catch (IOException e) {
                // a leftover is overwritten by the next download of the same backup
            }
        }
    }

    private boolean download(RestoreSource source, Path part) {
        for (int attempt = 1; attempt <= TRANSFER_ATTEMPTS; attempt++) {
            try {
                if (part.toFile().length() > source.size()) {
                    Files.delete(part);
                }
                if (transfers().download(address(), source.backupId(), part, source.size()) == source.size()) {
                    return true;
                }
            } catch (ConsoleException e) {
                if (!e.transientFailure()) {
                    throw new BackupException(e.status() == 404 ? BackupFailureKind.NOT_FOUND : BackupFailureKind.SENSOR_ERROR,
                            "the console refused the download: " + e.getMessage());
                }
                pause(attempt, e);
            } catch (ConsoleCallException e) {
                pause(attempt, e);
            } catch (IOException e) {
                throw new BackupException(BackupFailureKind.SENSOR_ERROR, "cannot write " + part + ": " + e.getMessage(), e);
            }
        }
        return false;
    }

    /**
     * A restore brings back the settings the backup had; tell the console which revision the sensor runs
     * now, so it shows the sensor out of sync with the desired settings instead of claiming they apply.
     */
    private void reportRestoredSettings() {
        SettingsStore store = new SettingsStore(stateDir.path());
        SettingsStore.Applied applied = store.applied();
        if (applied.revision() < 0) {
            return;
        }
        try {
            session.lease().console().ackSettings(address(), new SettingsAck(applied.revision(), true, null, store.current(), null));
        } catch (ConsoleCallException e) {
            log.warn("could not report the restored settings: " + e.getMessage());
        }
    }

    private void report(BackupTaskResult result) {
        for (int attempt = 1; attempt <= 3; attempt++) {
            try {
                transfers().report(address(), result);
                return;
            } catch (ConsoleCallException e) {
                pause(attempt, e);
            }
        }
        log.warn("could not report the outcome of backup task " + result.taskId() + " to the console");
    }

    private void pause(int attempt, ConsoleCallException e) {
        log.warn("backup transfer interrupted (attempt " + attempt + "): " + e.getMessage());
        session.failed(address(), e);
        try {
            sleeper.sleep(session.backoff(attempt, Duration.ofSeconds(30), null));
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }

    private AgentAddress address() {
        return session.address();
    }

    private BackupClient transfers() {
        return session.lease().transfers();
    }
}
