package io.sensorfleet.agent.work;

import io.sensorfleet.agent.AgentLog;
import io.sensorfleet.agent.PollLoop;
import io.sensorfleet.agent.backup.BackupLoop;
import io.sensorfleet.agent.client.ConsoleCallException;
import io.sensorfleet.agent.client.ConsoleException;
import io.sensorfleet.agent.identity.NotConnectedException;
import io.sensorfleet.agent.session.ConsoleSession;
import io.sensorfleet.agent.session.FailureStreak;
import io.sensorfleet.agent.settings.SettingsLoop;
import io.sensorfleet.agent.update.UpdateLoop;
import io.sensorfleet.protocol.v1.enrollment.AgentAddress;
import io.sensorfleet.protocol.v1.work.Work;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * The one long-poll through which the console's work reaches the sensor: settings, backup and
 * restore tasks, update tasks. Each answer is dispatched to the handler of its kind, one after the
 * other on this thread (a backup upload delays the next poll until it ends: the console keeps what
 * it wants meanwhile and answers the next poll with it). After an empty answer the settings handler
 * checks for local drift.
 * <p>
 * A console older than the work channel answers 404: the loop then runs the per-feature long-polls
 * of those consoles (settings, backup tasks, update tasks) until stopped, and says so once.
 */
public final class WorkLoop {
    static final Duration POLL_WAIT = Duration.ofSeconds(25);
    static final Duration NOT_CONNECTED_POLL = Duration.ofSeconds(5);
    static final Duration UNREACHABLE_CAP = Duration.ofSeconds(30);

    /** What one step did. */
    public enum Outcome { WORKED, IDLE, NOT_CONNECTED, UNREACHABLE, NOT_SUPPORTED }

    private final ConsoleSession session;
    private final SettingsLoop settings;
    private final BackupLoop backups;
    private final UpdateLoop updates;
    private final AgentLog log;
    private final Duration pollWait;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private volatile Thread polling;
    private volatile boolean fallenBack;
    private final FailureStreak streak = new FailureStreak();
    /** The last failed poll's error, for its backoff (a refused connection retries sooner; Retry-After). */
    private ConsoleCallException lastFailure;
    private Duration emptyPause = Duration.ZERO;

    public WorkLoop(ConsoleSession session, SettingsLoop settings, BackupLoop backups, UpdateLoop updates,
                    AgentLog log, Duration pollWait) {
        this.session = session;
        this.settings = settings;
        this.backups = backups;
        this.updates = updates;
        this.log = log;
        this.pollWait = pollWait;
    }

    public WorkLoop(ConsoleSession session, SettingsLoop settings, BackupLoop backups, UpdateLoop updates,
                    AgentLog log) {
        this(session, settings, backups, updates, log, POLL_WAIT);
    }

    /** One long-poll of the work channel and whatever it brings. */
    public Outcome runOnce() {
        AgentAddress address;
        ConsoleSession.Lease lease;
        try {
            lease = session.lease();
            address = session.address();
        } catch (NotConnectedException e) {
            return Outcome.NOT_CONNECTED;
        }
        updates.deliverKeptReports();
        Optional<Work> work;
        try {
            polling = Thread.currentThread();
            try {
                long started = System.nanoTime();
                work = lease.console().work(address, settings.known(), pollWait);
                emptyPause = work.isEmpty() ? PollLoop.afterEmptyPoll(pollWait, started) : Duration.ZERO;
            } finally {
                polling = null;
            }
        } catch (ConsoleException e) {
            if (e.status() == 404) {
                return Outcome.NOT_SUPPORTED;
            }
            return unreachable(address, e);
        } catch (ConsoleCallException e) {
            return unreachable(address, e);
        }
        if (streak.failures() > 0) {
            // The console is back (this poll is usually the first to notice a restart): report now.
            session.consoleBack().wake();
        }
        streak.succeeded();
        lastFailure = null;
        if (work.isEmpty()) {
            settings.idle();
            return Outcome.IDLE;
        }
        Work w = work.get();
        if (w.settings() != null) {
            settings.handle(w.settings());
        }
        if (w.backup() != null) {
            backups.handle(w.backup());
        }
        if (w.update() != null) {
            updates.handle(w.update());
        }
        return Outcome.WORKED;
    }

    /** Repeats {@link #runOnce()} until {@link #stop()}; against an older console, the per-feature long-polls. */
    public void run() {
        backups.recover();
        updates.recover();
        PollLoop.repeat(stopped, log, "work loop", () -> {
            Outcome outcome = runOnce();
            if (outcome == Outcome.NOT_SUPPORTED) {
                fallBack();
                stopped.countDown();
            }
            return pause(outcome);
        }, () -> {
            streak.failed(false);
            lastFailure = null;
            return pause(Outcome.UNREACHABLE);
        });
    }

    /** Ends {@link #run()}, a long-poll in progress included; safe from any thread. */
    public void stop() {
        stopped.countDown();
        Thread t = polling;
        if (t != null) {
            // java.net.http cancels a request whose sending thread is interrupted.
            t.interrupt();
        }
    }

    /** True once the console turned out not to have the work channel. */
    public boolean fellBack() {
        return fallenBack;
    }

    private void fallBack() {
        fallenBack = true;
        log.warn("the console has no work channel (404 on the work long-poll, an older console):"
                + " polling settings, backup and update tasks separately");
        List<Thread> threads = List.of(
                Thread.ofPlatform().name("settings").daemon().start(settings::run),
                Thread.ofPlatform().name("backups").daemon().start(backups::run),
                Thread.ofPlatform().name("updates").daemon().start(updates::run));
        try {
            // Until this loop is stopped: the fallback loops are stopped with it.
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            settings.stop();
            backups.stop();
            updates.stop();
            for (Thread t : threads) {
                try {
                    t.join(Duration.ofSeconds(10));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private Outcome unreachable(AgentAddress address, ConsoleCallException e) {
        streak.failed(ConsoleSession.refused(e));
        lastFailure = e;
        session.failed(address, e);
        int n = streak.failures();
        if (n == 1 || n % 10 == 0) {
            log.warn("work poll failed (" + n + " in a row): " + e.getMessage());
        }
        return Outcome.UNREACHABLE;
    }

    /** How long to wait before the next poll after {@code outcome}. */
    Duration pause(Outcome outcome) {
        return switch (outcome) {
            case NOT_CONNECTED -> NOT_CONNECTED_POLL;
            case UNREACHABLE -> lastFailure == null ? session.backoff(streak.failures(), UNREACHABLE_CAP, null)
                    : session.backoffAfter(streak, UNREACHABLE_CAP, lastFailure);
            case IDLE -> emptyPause;
            default -> Duration.ZERO;
        };
    }
}
