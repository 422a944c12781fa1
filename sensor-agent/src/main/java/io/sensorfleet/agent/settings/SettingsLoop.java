package io.sensorfleet.agent.settings;

import io.sensorfleet.agent.AgentConfig;
import io.sensorfleet.agent.AgentLog;
import io.sensorfleet.agent.PollLoop;
import io.sensorfleet.agent.Sleeper;
import io.sensorfleet.agent.appliance.Appliance;
import io.sensorfleet.agent.appliance.NetworkTrial;
import io.sensorfleet.agent.appliance.TrialJournal;
import io.sensorfleet.agent.client.ConsoleClient;
import io.sensorfleet.agent.client.ConsoleCallException;
import io.sensorfleet.agent.session.ConsoleSession;
import io.sensorfleet.agent.identity.NotConnectedException;
import io.sensorfleet.agent.identity.StateDir;
import io.sensorfleet.protocol.v1.enrollment.AgentAddress;
import io.sensorfleet.protocol.v1.settings.SettingsAck;
import io.sensorfleet.protocol.v1.settings.SettingsPush;
import io.sensorfleet.lib.settings.SettingsValidator;
import io.sensorfleet.lib.settings.Violation;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Receives settings: validates what arrives with the same rules as the console, writes the
 * configuration files, and acknowledges the revision — or reports why it could not. Between polls
 * it looks for local edits of the files and reports them as drift. The work loop hands it what the
 * one work long-poll brings ({@link #handle}, {@link #idle}); against a console without the work
 * channel it long-polls the settings endpoint itself ({@link #run()}).
 */
public final class SettingsLoop {
    public static final Duration POLL_WAIT = Duration.ofSeconds(25);
    static final Duration RETRY_FAILED_AFTER = Duration.ofSeconds(60);

    /** What one step did. */
    public enum Outcome { APPLIED, FAILED, NO_CHANGE, DRIFT_REPORTED, NOT_CONNECTED, UNREACHABLE }

    private final AgentConfig config;
    private final ConsoleSession session;
    private final SettingsStore store;
    private final ApplianceApplier applier;
    private final Supplier<ConsoleClient> probeClients;
    private final AgentLog log;
    private final Duration pollWait;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private volatile Thread polling;
    private long known = -1;
    private Instant retryFailedAt;
    private List<String> reportedDrift = List.of();
    private int failures;
    private Duration emptyPause = Duration.ZERO;

    /**
     * @param appliance    the operating system the settings change ({@link Appliance#none()} for none)
     * @param trial        how network changes are tried and reverted on that appliance
     * @param probeClients a new client on the session's credentials for each reachability probe
     */
    public SettingsLoop(AgentConfig config, StateDir stateDir, ConsoleSession session, AgentLog log, Duration pollWait,
                        Appliance appliance, NetworkTrial trial, Supplier<ConsoleClient> probeClients) {
        this.config = config;
        this.session = session;
        this.store = new SettingsStore(stateDir.path());
        this.applier = new ApplianceApplier(appliance, trial, store, stateDir.path());
        this.probeClients = probeClients;
        this.log = log;
        this.pollWait = pollWait;
        this.known = store.applied().revision();
        // At once, before any call: a network change the agent stopped during is undone before it connects.
        // The console then sends that revision again, and the applier answers with why it was reverted.
        applier.recover();
    }

    public SettingsLoop(AgentConfig config, StateDir stateDir, ConsoleSession session, AgentLog log, Duration pollWait) {
        this(config, stateDir, session, log, pollWait, Appliance.none(),
                new NetworkTrial(Appliance.none(), new TrialJournal(stateDir.path()), config.clock(), Sleeper.system(),
                        Duration.ofSeconds(5), log),
                () -> {
                    throw new IllegalStateException("no network trial without an appliance");
                });
    }

    public SettingsLoop(AgentConfig config, StateDir stateDir, ConsoleSession session, AgentLog log) {
        this(config, stateDir, session, log, POLL_WAIT);
    }

    public SettingsStore store() {
        return store;
    }

    /** The revision to tell the console this sensor has (-1 asks for the current one again). */
    public synchronized long known() {
        if (retryFailedAt != null && config.clock().instant().isAfter(retryFailedAt)) {
            known = -1; // ask for the revision that failed again
            retryFailedAt = null;
        }
        return known;
    }

    /** One long-poll of the settings endpoint, then apply-and-acknowledge or a drift check. */
    public Outcome runOnce() {
        AgentAddress address;
        ConsoleSession.Lease lease;
        try {
            lease = session.lease();
            address = session.address();
        } catch (NotConnectedException e) {
            return Outcome.NOT_CONNECTED;
        }
        Optional<SettingsPush> push;
        try {
            polling = Thread.currentThread();
            try {
                long started = System.nanoTime();
                push = lease.console().settings(address, known(), pollWait);
                emptyPause = push.isEmpty() ? PollLoop.afterEmptyPoll(pollWait, started) : Duration.ZERO;
            } finally {
                polling = null;
            }
            failures = 0;
        } catch (ConsoleCallException e) {
            return unreachable(address, e);
        }
        return push.isPresent() ? handle(push.get()) : idle();
    }

    /** Applies and acknowledges settings the console sent (through whichever long-poll). */
    public synchronized Outcome handle(SettingsPush push) {
        AgentAddress address = session.address();
        try {
            return apply(address, push);
        } catch (ConsoleCallException e) {
            return unreachable(address, e);
        }
    }

    /** Nothing new from the console: reports local edits as drift, once per change. */
    public synchronized Outcome idle() {
        AgentAddress address = session.address();
        try {
            return checkDrift(address);
        } catch (ConsoleCallException e) {
            return unreachable(address, e);
        }
    }

    /** The per-feature long-poll, for a console without the work channel. */
    public void run() {
        PollLoop.repeat(stopped, log, "settings loop", () -> pause(runOnce()), () -> {
            failures++;
            return pause(Outcome.UNREACHABLE);
        });
    }

    private Duration pause(Outcome outcome) {
        return switch (outcome) {
            case NOT_CONNECTED -> Duration.ofSeconds(5);
            case UNREACHABLE -> session.backoff(failures, Duration.ofSeconds(30), null);
            case NO_CHANGE, DRIFT_REPORTED -> emptyPause;
            default -> Duration.ZERO;
        };
    }

    /** Ends {@link #run()}, a long-poll in progress included. */
    public void stop() {
        stopped.countDown();
        Thread t = polling;
        if (t != null) {
            // java.net.http cancels a request whose sending thread is interrupted.
            t.interrupt();
        }
    }

    private Outcome unreachable(AgentAddress address, ConsoleCallException e) {
        failures++;
        session.failed(address, e);
        if (failures == 1 || failures % 10 == 0) {
            log.warn("settings call failed (" + failures + " in a row): " + e.getMessage());
        }
        return Outcome.UNREACHABLE;
    }

    private Outcome apply(AgentAddress address, SettingsPush push) throws ConsoleCallException {
        known = push.revision();
        List<Violation> violations = new ArrayList<>(SettingsValidator.validate(push.values()));
        violations.addAll(SettingsValidator.validateNetwork(push.values()));
        if (!violations.isEmpty()) {
            return failed(address, push.revision(), "refused invalid settings: "
                    + violations.stream().map(Violation::toString).collect(Collectors.joining("; ")));
        }
        ApplianceApplier.Result result;
        List<AgentAddress> consoles = session.lease().identity().agentAddresses();
        try {
            result = applier.apply(push.revision(), push.values(), new ConsoleProbe(probeClients, consoles));
        } catch (IOException | RuntimeException e) {
            return failed(address, push.revision(), "cannot write the configuration in " + store.dir() + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.FAILED;
        }
        if (result.networkTried()) {
            // Pooled connections may be bound to an address the interface no longer has.
            session.reconnect();
        }
        if (!result.applied()) {
            return failed(address, push.revision(), result.reason());
        }
        retryFailedAt = null;
        reportedDrift = List.of();
        session.lease().console().ackSettings(address, new SettingsAck(push.revision(), true, null, result.values(), null));
        failures = 0;
        log.info("applied settings revision " + push.revision());
        return Outcome.APPLIED;
    }

    private Outcome failed(AgentAddress address, long revision, String reason) throws ConsoleCallException {
        retryFailedAt = config.clock().instant().plus(RETRY_FAILED_AFTER);
        log.warn("settings revision " + revision + " not applied: " + reason);
        session.lease().console().ackSettings(address, new SettingsAck(revision, false, reason, null, null));
        return Outcome.FAILED;
    }

    private Outcome checkDrift(AgentAddress address) throws ConsoleCallException {
        List<String> drift = applier.drift();
        if (drift.equals(reportedDrift)) {
            return Outcome.NO_CHANGE;
        }
        SettingsStore.Applied applied = store.applied();
        session.lease().console().ackSettings(address, new SettingsAck(applied.revision(), true, null, applier.current(),
                drift.isEmpty() ? null : drift));
        reportedDrift = drift;
        log.warn(drift.isEmpty() ? "local settings match the console's again"
                : "settings changed on this sensor, reported to the console as drift: " + drift);
        return Outcome.DRIFT_REPORTED;
    }
}
