package io.sensorfleet.agent.alerts;

import io.sensorfleet.agent.PollLoop;
import io.sensorfleet.agent.AgentConfig;
import io.sensorfleet.agent.AgentLog;
import io.sensorfleet.agent.client.ConsoleCallException;
import io.sensorfleet.agent.session.ConsoleSession;
import io.sensorfleet.agent.session.FailureStreak;
import io.sensorfleet.agent.client.ConsoleException;
import io.sensorfleet.agent.identity.NotConnectedException;
import io.sensorfleet.agent.identity.StateDir;
import io.sensorfleet.protocol.v1.enrollment.AgentAddress;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;

/**
 * Drains the {@link AlertOutbox} to the console over mTLS, oldest first, beside the heartbeat
 * loop. It looks at the outbox every second; when the console cannot be reached it waits with the
 * heartbeat's backoff (exponential, full jitter, capped at the heartbeat interval, at least the
 * console's Retry-After) and tries the next console address. {@link #runOnce()} is one step for
 * tests; {@link #run()} repeats it until {@link #stop()}.
 */
public final class AlertLoop {
    static final Duration POLL = Duration.ofSeconds(1);
    static final Duration NOT_CONNECTED_POLL = Duration.ofSeconds(5);

    private final AgentConfig config;
    private final StateDir stateDir;
    private final AlertOutbox outbox;
    private final ConsoleSession session;
    private final AgentLog log;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private final FailureStreak streak = new FailureStreak();

    public AlertLoop(AgentConfig config, StateDir stateDir, AlertOutbox outbox, ConsoleSession session, AgentLog log) {
        this.config = config;
        this.stateDir = stateDir;
        this.outbox = outbox;
        this.session = session;
        this.log = log;
    }

    public AlertOutcome runOnce() {
        List<AlertOutbox.Queued> queued = outbox.pending();
        if (queued.isEmpty()) {
            return new AlertOutcome(0, 0, 0, POLL, null);
        }
        ConsoleSession.Lease lease;
        try {
            lease = session.lease();
        } catch (NotConnectedException e) {
            return new AlertOutcome(0, 0, queued.size(), NOT_CONNECTED_POLL, e.getMessage());
        }
        if (lease.identity().agentAddresses().isEmpty()) {
            return new AlertOutcome(0, 0, queued.size(), NOT_CONNECTED_POLL, "agent.json lists no console address");
        }
        int sent = 0;
        int rejected = 0;
        for (AlertOutbox.Queued q : queued) {
            AgentAddress address = session.address();
            try {
                lease.console().alert(address, q.alert());
                outbox.remove(q);
                sent++;
                streak.succeeded();
            } catch (ConsoleException e) {
                if (refusedForGood(e.status())) {
                    outbox.reject(q, e.getMessage());
                    log.warn("console refused alert " + q.alert().alertId() + "; kept in " + outbox.path()
                            .resolve(AlertOutbox.REJECTED) + ": " + e.getMessage());
                    rejected++;
                    continue;
                }
                return failed(lease, address, sent, rejected, queued.size() - sent - rejected, e);
            } catch (ConsoleCallException e) {
                return failed(lease, address, sent, rejected, queued.size() - sent - rejected, e);
            }
        }
        if (sent > 0) {
            log.info("sent " + sent + " queued alert(s) to the console");
        }
        return new AlertOutcome(sent, rejected, 0, POLL, null);
    }

    /**
     * Only an alert the console judged invalid is given up; anything else (a console down, busy, not
     * yet upgraded, a certificate being replaced) may pass, so the alert waits.
     */
    static boolean refusedForGood(int status) {
        return status == 400 || status == 413 || status == 422;
    }

    public void run() {
        PollLoop.repeat(stopped, log, "alert outbox", () -> runOnce().nextDelay(), () -> NOT_CONNECTED_POLL);
    }

    public void stop() {
        stopped.countDown();
    }

    private AlertOutcome failed(ConsoleSession.Lease lease, AgentAddress address, int sent, int rejected,
                                int remaining, ConsoleCallException e) {
        streak.failed(ConsoleSession.refused(e));
        // The console address that failed may be the one that is down: the next attempt goes to the next one.
        session.failed(address, e);
        Duration interval = config.heartbeatIntervalOverride()
                .orElse(Duration.ofSeconds(Math.max(1, lease.identity().heartbeatIntervalSeconds())));
        Duration delay = session.backoffAfter(streak, interval, e);
        if (streak.failures() == 1) {
            log.warn("cannot send " + remaining + " queued alert(s) yet: " + e.getMessage() + "; they stay in "
                    + outbox.path());
        }
        return new AlertOutcome(sent, rejected, remaining, delay, e.getMessage());
    }
}
