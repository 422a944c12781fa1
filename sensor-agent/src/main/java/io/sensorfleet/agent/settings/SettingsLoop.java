package io.sensorfleet.agent.settings;

import io.sensorfleet.agent.AgentConfig;
import io.sensorfleet.agent.AgentLog;
import io.sensorfleet.agent.PollLoop;
import io.sensorfleet.agent.appliance.Appliance;
import io.sensorfleet.agent.appliance.NetworkTrial;
import io.sensorfleet.agent.client.AgentTls;
import io.sensorfleet.agent.client.ConsoleCallException;
import io.sensorfleet.agent.client.ConsoleClient;
import io.sensorfleet.agent.client.ConsoleClientFactory;
import io.sensorfleet.agent.heartbeat.Backoff;
import io.sensorfleet.agent.identity.Identity;
import io.sensorfleet.agent.identity.NotConnectedException;
import io.sensorfleet.agent.identity.StateDir;
import io.sensorfleet.protocol.v1.AgentAddress;
import io.sensorfleet.protocol.v1.SettingsAck;
import io.sensorfleet.protocol.v1.SettingsPush;
import io.sensorfleet.protocol.v1.settings.SettingsValidator;
import io.sensorfleet.protocol.v1.settings.Violation;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/**
 * Receives settings: long-polls the console (it answers within about a second of a change),
 * validates what arrives with the same rules as the console, writes the configuration files, and
 * acknowledges the revision — or reports why it could not. Between polls it looks for local edits
 * of the files and reports them as drift. Runs on its own thread beside the heartbeat loop.
 */
public final class SettingsLoop {
    public static final Duration POLL_WAIT = Duration.ofSeconds(25);
    static final Duration RETRY_FAILED_AFTER = Duration.ofSeconds(60);

    /** What one step did. */
    public enum Outcome { APPLIED, FAILED, NO_CHANGE, DRIFT_REPORTED, NOT_CONNECTED, UNREACHABLE }

    private final AgentConfig config;
    private final StateDir stateDir;
    private final AgentTls tls;
    private final ConsoleClientFactory clients;
    private final SettingsStore store;
    private final ApplianceApplier applier;
    private final Random random;
    private final AgentLog log;
    private final Duration pollWait;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private Identity identity;
    private ConsoleClient client;
    private long known = -1;
    private Instant retryFailedAt;
    private List<String> reportedDrift = List.of();
    private int failures;
    private int addressIndex;
    private ApplianceApplier.Result recovered;

    /**
     * @param appliance the operating system the settings change ({@link Appliance#none()} for none)
     * @param trial     how network changes are tried and reverted on that appliance
     */
    public SettingsLoop(AgentConfig config, StateDir stateDir, AgentTls tls, ConsoleClientFactory clients,
                        Random random, AgentLog log, Duration pollWait, Appliance appliance, NetworkTrial trial) {
        this.config = config;
        this.stateDir = stateDir;
        this.tls = tls;
        this.clients = clients;
        this.store = new SettingsStore(stateDir.path());
        this.applier = new ApplianceApplier(appliance, trial, store, stateDir.path());
        this.random = random;
        this.log = log;
        this.pollWait = pollWait;
        this.known = store.applied().revision();
        // At once, before any call: a network change the agent stopped during is undone before it tries to connect.
        this.recovered = applier.recover().orElse(null);
    }

    public SettingsLoop(AgentConfig config, StateDir stateDir, AgentTls tls, ConsoleClientFactory clients,
                        Random random, AgentLog log, Duration pollWait) {
        this(config, stateDir, tls, clients, random, log, pollWait, Appliance.none(),
                new NetworkTrial(Appliance.none(), new io.sensorfleet.agent.appliance.TrialJournal(stateDir.path()),
                        config.clock(), io.sensorfleet.agent.Sleeper.system(), Duration.ofSeconds(5), log));
    }

    public SettingsLoop(AgentConfig config, StateDir stateDir, AgentTls tls, ConsoleClientFactory clients,
                        Random random, AgentLog log) {
        this(config, stateDir, tls, clients, random, log, POLL_WAIT);
    }

    public SettingsStore store() {
        return store;
    }

    /** One long-poll, then apply-and-acknowledge or a drift check. */
    public Outcome runOnce() {
        try {
            session();
        } catch (NotConnectedException e) {
            return Outcome.NOT_CONNECTED;
        }
        AgentAddress address = identity.agentAddresses().get(Math.floorMod(addressIndex, identity.agentAddresses().size()));
        try {
            if (recovered != null) {
                ApplianceApplier.Result r = recovered;
                known = r.revision();
                client.ackSettings(address, new SettingsAck(r.revision(), false, r.reason(), null, null));
                recovered = null;
            }
            Optional<SettingsPush> push = client.settings(address, known, pollWait);
            failures = 0;
            if (push.isPresent()) {
                return apply(address, push.get());
            }
            if (retryFailedAt != null && config.clock().instant().isAfter(retryFailedAt)) {
                known = -1; // ask for the revision that failed again
                retryFailedAt = null;
            }
            return checkDrift(address);
        } catch (ConsoleCallException e) {
            failures++;
            addressIndex++;
            if (failures == 1 || failures % 10 == 0) {
                log.warn("settings poll failed (" + failures + " in a row): " + e.getMessage());
            }
            return Outcome.UNREACHABLE;
        }
    }

    public void run() {
        try {
            PollLoop.repeat(stopped, log, "settings loop", () -> pause(runOnce()), () -> {
                failures++;
                return pause(Outcome.UNREACHABLE);
            });
        } finally {
            if (client != null) {
                client.close();
            }
        }
    }

    private Duration pause(Outcome outcome) {
        return switch (outcome) {
            case NOT_CONNECTED -> Duration.ofSeconds(5);
            case UNREACHABLE -> new Backoff(config.backoffBase(), Duration.ofSeconds(30)).delay(failures, random);
            default -> Duration.ZERO;
        };
    }

    public void stop() {
        stopped.countDown();
        if (client != null) {
            // Ends a long-poll in progress instead of waiting for it.
            client.close();
        }
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
        try {
            result = applier.apply(push.revision(), push.values(),
                    new ConsoleProbe(() -> clients.create(tls.mutual(stateDir.credentials())), identity.agentAddresses()));
        } catch (IOException | RuntimeException e) {
            return failed(address, push.revision(), "cannot write the configuration in " + store.dir() + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.FAILED;
        } finally {
            // The network may have changed under the pooled connections: the next call opens new ones.
            client.close();
            client = clients.create(tls.mutual(stateDir.credentials()));
        }
        if (!result.applied()) {
            return failed(address, push.revision(), result.reason());
        }
        retryFailedAt = null;
        reportedDrift = List.of();
        client.ackSettings(address, new SettingsAck(push.revision(), true, null, result.values(), null));
        log.info("applied settings revision " + push.revision());
        return Outcome.APPLIED;
    }

    private Outcome failed(AgentAddress address, long revision, String reason) throws ConsoleCallException {
        retryFailedAt = config.clock().instant().plus(RETRY_FAILED_AFTER);
        log.warn("settings revision " + revision + " not applied: " + reason);
        client.ackSettings(address, new SettingsAck(revision, false, reason, null, null));
        return Outcome.FAILED;
    }

    private Outcome checkDrift(AgentAddress address) throws ConsoleCallException {
        List<String> drift = applier.drift();
        if (drift.equals(reportedDrift)) {
            return Outcome.NO_CHANGE;
        }
        SettingsStore.Applied applied = store.applied();
        client.ackSettings(address, new SettingsAck(applied.revision(), true, null, applier.current(),
                drift.isEmpty() ? null : drift));
        reportedDrift = drift;
        log.warn(drift.isEmpty() ? "local settings match the console's again"
                : "settings changed on this sensor, reported to the console as drift: " + drift);
        return Outcome.DRIFT_REPORTED;
    }

    private void session() {
        Identity onDisk = stateDir.requireIdentity();
        if (identity != null && identity.equals(onDisk) && client != null) {
            return;
        }
        if (client != null) {
            client.close();
        }
        identity = onDisk;
        client = clients.create(tls.mutual(stateDir.credentials()));
    }
}
