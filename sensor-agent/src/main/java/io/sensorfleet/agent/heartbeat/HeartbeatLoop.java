package io.sensorfleet.agent.heartbeat;

import io.sensorfleet.agent.PollLoop;
import io.sensorfleet.agent.activation.ActivationStore;
import io.sensorfleet.agent.AgentConfig;
import io.sensorfleet.agent.AgentException;
import io.sensorfleet.agent.AgentLog;
import io.sensorfleet.agent.RunningVersion;
import io.sensorfleet.agent.client.ConsoleCallException;
import io.sensorfleet.agent.session.ConsoleSession;
import io.sensorfleet.agent.session.FailureStreak;
import io.sensorfleet.agent.identity.AgentStatus;
import io.sensorfleet.agent.identity.Identity;
import io.sensorfleet.agent.identity.NotConnectedException;
import io.sensorfleet.agent.identity.StateDir;
import io.sensorfleet.protocol.v1.enrollment.AgentAddress;
import io.sensorfleet.protocol.v1.heartbeat.Health;
import io.sensorfleet.protocol.v1.heartbeat.HeartbeatRequest;
import io.sensorfleet.protocol.v1.heartbeat.HeartbeatResponse;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The daemon's heartbeat: one every interval (±10 %) with the health checks of that moment; after
 * a failure the session's backoff (full jitter, Retry-After) and its next address, and at once
 * when the work long-poll finds the console back after losing it (a console restart); certificate
 * renewal (through the session) at two thirds of its lifetime; status in status.json.
 * <p>
 * {@link #runOnce()} is one step, for tests that drive time themselves; {@link #run()} repeats it
 * until {@link #stop()}. One thread drives a loop; only {@code stop} may come from another. The
 * session notices a {@code connect --force} while the daemon runs.
 */
public final class HeartbeatLoop {
    static final double JITTER = 0.10;
    static final Duration NOT_CONNECTED_POLL = Duration.ofSeconds(5);
    static final Duration AFTER_UNEXPECTED_ERROR = Duration.ofSeconds(30);

    private final AgentConfig config;
    private final StateDir stateDir;
    private final ConsoleSession session;
    private final Supplier<Health> health;
    private final Random random;
    private final AgentLog log;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final ActivationStore activations;
    private final Consumer<Health> delivered;

    private String sensorId;
    private AgentStatus status = AgentStatus.none();
    /** For the backoff; the status counts the same failures for the operator. */
    private final FailureStreak streak = new FailureStreak();
    private boolean reporting;
    private boolean waitingLogged;
    /** How long the previous heartbeat took to be answered; null after a failed one (sent with the next). */
    private Long lastRoundTripMs;

    public HeartbeatLoop(AgentConfig config, StateDir stateDir, ConsoleSession session, Supplier<Health> health,
                         Random random, AgentLog log) {
        this(config, stateDir, session, health, random, log, h -> { });
    }

    /** @param delivered told the health of each heartbeat the console took (the update watch marks it) */
    public HeartbeatLoop(AgentConfig config, StateDir stateDir, ConsoleSession session, Supplier<Health> health,
                         Random random, AgentLog log, Consumer<Health> delivered) {
        this.delivered = delivered;
        this.config = config;
        this.stateDir = stateDir;
        this.session = session;
        this.health = health;
        this.random = random;
        this.log = log;
        this.activations = new ActivationStore(stateDir.path());
    }

    /** One heartbeat attempt, then renewal if due and the console answered. */
    public HeartbeatOutcome runOnce() {
        ConsoleSession.Lease current;
        try {
            current = session.lease();
        } catch (NotConnectedException e) {
            if (!waitingLogged) {
                log.info(e.getMessage().replace("run '", "waiting for '"));
                waitingLogged = true;
            }
            return new HeartbeatOutcome(HeartbeatOutcome.Result.NOT_CONNECTED, null, NOT_CONNECTED_POLL,
                    e.getMessage(), HeartbeatOutcome.Renewal.NOT_DUE);
        }
        waitingLogged = false;
        if (!current.identity().sensorId().equals(sensorId)) {
            sensorId = current.identity().sensorId();
            reporting = false;
            status = stateDir.status();
        }
        Duration interval = interval(current.identity());
        if (current.identity().agentAddresses().isEmpty()) {
            return failed(null, interval, "agent.json lists no usable console address; connect again", null);
        }
        AgentAddress address = session.address();
        Instant now = config.clock().instant();
        Instant notAfter = current.credentials().certificate().getNotAfter().toInstant();
        if (!now.isBefore(notAfter)) {
            return failed(address, interval, "the sensor certificate expired at " + notAfter
                    + "; connect again with a new connection string", null);
        }
        try {
            Health sent = health.get();
            // Stamped after the checks ran, so the clock offset the console derives holds no check time.
            HeartbeatRequest request = new HeartbeatRequest(config.clock().instant(), RunningVersion.of(config), sent,
                    activations.state(current.identity().sensorId()).orElse(null), lastRoundTripMs);
            lastRoundTripMs = null;
            // A monotonic measure: the wall clock may be stepped (that is what the clock offset shows).
            long start = System.nanoTime();
            HeartbeatResponse response = current.console().heartbeat(address, request);
            lastRoundTripMs = Math.min(HeartbeatRequest.MAX_ROUND_TRIP_MS,
                    Duration.ofNanos(System.nanoTime() - start).toMillis());
            HeartbeatOutcome outcome = reported(current, address, now, response);
            delivered.accept(sent);
            return outcome;
        } catch (ConsoleCallException e) {
            session.failed(address, e);
            return failed(address, interval, e.getMessage(), e);
        }
    }

    /** Repeats {@link #runOnce()} until {@link #stop()}. */
    public void run() {
        // A broken state dir or a bug must not end the daemon: the next step may succeed.
        // The pause ends early when the work long-poll finds the console back after losing it.
        PollLoop.repeat(stopped, session.consoleBack(), log, "heartbeat", () -> runOnce().nextDelay(),
                () -> AFTER_UNEXPECTED_ERROR);
    }

    /** Ends {@link #run()} at once, even while it waits; safe from any thread. */
    public void stop() {
        stopped.countDown();
        session.consoleBack().wake();
    }

    /** The status as last recorded by this loop. */
    public AgentStatus status() {
        return status;
    }

    private HeartbeatOutcome reported(ConsoleSession.Lease current, AgentAddress address, Instant at,
                                      HeartbeatResponse response) {
        int previousFailures = status.consecutiveFailures();
        status = status.succeeded(at, address.toString());
        streak.succeeded();
        if (!reporting) {
            log.info("reporting to " + address + " as " + current.identity().sensorName() + " (sensor id "
                    + current.identity().sensorId() + ")");
        } else if (previousFailures > 0) {
            log.info("reporting again via " + address + " after " + previousFailures + " failed attempts");
        }
        reporting = true;
        Identity identity = adoptInterval(current.identity(), response);
        HeartbeatOutcome.Renewal renewal = HeartbeatOutcome.Renewal.NOT_DUE;
        String error = null;
        try {
            if (session.renewIfDue(address)) {
                renewal = HeartbeatOutcome.Renewal.RENEWED;
            }
        } catch (ConsoleCallException | AgentException e) {
            renewal = HeartbeatOutcome.Renewal.FAILED;
            error = "certificate renewal failed: " + e.getMessage();
            status = status.withError(config.clock().instant(), error);
            log.warn(error + "; retrying after the next heartbeat");
        }
        record();
        return new HeartbeatOutcome(HeartbeatOutcome.Result.REPORTED, address,
                Jitter.spread(interval(identity), JITTER, random), error, renewal);
    }

    private HeartbeatOutcome failed(AgentAddress address, Duration interval, String error, ConsoleCallException cause) {
        status = status.failed(config.clock().instant(), address == null ? null : address.toString(), error);
        streak.failed(cause != null && ConsoleSession.refused(cause));
        Duration delay = cause == null ? session.backoff(status.consecutiveFailures(), interval, null)
                : session.backoffAfter(streak, interval, cause);
        log.warn("heartbeat failed (" + status.consecutiveFailures() + " in a row): " + error
                + "; next attempt in " + seconds(delay));
        record();
        return new HeartbeatOutcome(HeartbeatOutcome.Result.FAILED, address, delay, error,
                HeartbeatOutcome.Renewal.NOT_DUE);
    }

    private Identity adoptInterval(Identity identity, HeartbeatResponse response) {
        int asked = response.heartbeatIntervalSeconds();
        if (config.heartbeatIntervalOverride().isPresent() || asked <= 0
                || asked == identity.heartbeatIntervalSeconds()) {
            return identity;
        }
        Identity changed = identity.withHeartbeatInterval(asked);
        session.saveIdentity(changed);
        log.info("console set the heartbeat interval to " + asked + " s");
        return changed;
    }

    private Duration interval(Identity identity) {
        return config.heartbeatIntervalOverride().orElse(Duration.ofSeconds(identity.heartbeatIntervalSeconds()));
    }

    private void record() {
        try {
            stateDir.saveStatus(status);
        } catch (AgentException e) {
            // Reporting matters more than the local record of it.
            log.warn("cannot record status: " + e.getMessage());
        }
    }

    private static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
