package io.sensorfleet.agent;

import io.sensorfleet.agent.alerts.AlertLoop;
import io.sensorfleet.agent.appliance.Appliance;
import io.sensorfleet.agent.appliance.NetworkTrial;
import io.sensorfleet.agent.appliance.TrialJournal;
import io.sensorfleet.agent.alerts.AlertOutbox;
import io.sensorfleet.agent.backup.BackupLoop;
import io.sensorfleet.agent.backup.BackupSchedule;
import io.sensorfleet.agent.backup.BackupTaker;
import io.sensorfleet.agent.backup.Restorer;
import io.sensorfleet.agent.client.AgentTls;
import io.sensorfleet.agent.client.ConsoleClientFactory;
import io.sensorfleet.agent.enrollment.Enroller;
import io.sensorfleet.agent.heartbeat.HeartbeatLoop;
import io.sensorfleet.agent.identity.CsrFactory;
import io.sensorfleet.agent.identity.RenewalPolicy;
import io.sensorfleet.agent.identity.StateDir;
import io.sensorfleet.agent.session.ConsoleSession;
import io.sensorfleet.agent.session.Renewer;
import io.sensorfleet.agent.settings.SettingsLoop;
import io.sensorfleet.agent.settings.SettingsStore;
import io.sensorfleet.agent.update.HandOver;
import io.sensorfleet.agent.update.Installer;
import io.sensorfleet.agent.update.InstalledVersions;
import io.sensorfleet.agent.update.UpdateLoop;
import io.sensorfleet.agent.update.VendorKeyRing;
import io.sensorfleet.agent.work.WorkLoop;
import io.sensorfleet.protocol.v1.heartbeat.Health;

import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Wires one agent's components from its {@link AgentConfig}: one {@link ConsoleSession} shared by
 * every loop, the loops, and the {@link AgentRuntime} that runs them. The CLI uses it; so do tests
 * (one {@code Agent} per state dir).
 */
public final class Agent {
    /** How often a network trial asks whether the console answers through the new configuration. */
    static final java.time.Duration NETWORK_PROBE_INTERVAL = java.time.Duration.ofSeconds(3);

    private final AgentConfig config;
    private final AgentLog log;
    private final StateDir stateDir;
    private final AgentTls tls = new AgentTls();
    private final CsrFactory csrFactory = new CsrFactory();
    private final ConsoleClientFactory clients;
    private final Appliance appliance;
    private ConsoleSession session;

    /** @param appliance the operating system the console's settings change ({@link Appliance#none()}: none) */
    public Agent(AgentConfig config, AgentLog log, ConsoleClientFactory clients, Appliance appliance) {
        // After an update the sensor runs the version its state dir names (see InstalledVersions).
        this.config = config.withSoftwareVersion(InstalledVersions.running(config.stateDir(), config.softwareVersion()));
        this.log = log;
        this.stateDir = new StateDir(config.stateDir());
        this.clients = clients;
        this.appliance = appliance;
    }

    public Agent(AgentConfig config, AgentLog log, ConsoleClientFactory clients) {
        this(config, log, clients, Appliance.none());
    }

    public Agent(AgentConfig config, AgentLog log) {
        this(config, log, ConsoleClientFactory.standard(config.requestTimeout()));
    }

    public AgentConfig config() {
        return config;
    }

    public StateDir stateDir() {
        return stateDir;
    }

    /** The one session with the console every loop of this agent shares. */
    public synchronized ConsoleSession session() {
        if (session == null) {
            Renewer renewer = new Renewer(stateDir, csrFactory, new RenewalPolicy(), config.clock());
            session = new ConsoleSession(config, stateDir, tls, renewer, new Random(), log);
        }
        return session;
    }

    public Enroller enroller() {
        return new Enroller(config, stateDir, tls, csrFactory, clients, Sleeper.system(), log);
    }

    public HeartbeatLoop heartbeatLoop(Supplier<Health> health) {
        return new HeartbeatLoop(config, stateDir, session(), health, new Random(), log,
                sent -> HandOver.heartbeatDelivered(config.stateDir(), sent, config.clock()));
    }

    /** Puts settings in force on this agent's appliance, network changes on trial. */
    public SettingsLoop settingsLoop() {
        NetworkTrial trial = new NetworkTrial(appliance, new TrialJournal(config.stateDir()), config.clock(),
                Sleeper.system(), NETWORK_PROBE_INTERVAL, log);
        return new SettingsLoop(config, stateDir, session(), log, SettingsLoop.POLL_WAIT, appliance, trial,
                () -> clients.create(tls.mutual(session().lease().credentials())));
    }

    public HeartbeatLoop heartbeatLoop() {
        return heartbeatLoop(Health::ok);
    }

    /** Alerts waiting for the console, in the state dir. */
    public AlertOutbox alertOutbox() {
        return new AlertOutbox(config.stateDir());
    }

    /** Sends queued alerts beside the heartbeat loop, with the same backoff. */
    public AlertLoop alertLoop() {
        return new AlertLoop(config, stateDir, alertOutbox(), session(), log);
    }

    public BackupTaker backupTaker() {
        return new BackupTaker(config, stateDir);
    }

    public Restorer restorer() {
        return new Restorer(config, stateDir);
    }

    /** Carries out the console's backup and restore requests. */
    public BackupLoop backupLoop() {
        return new BackupLoop(config, stateDir, session(), new Random(), log);
    }

    /** Carries out the console's software updates (in place: for in-process agents, which cannot restart). */
    public UpdateLoop updateLoop() {
        return updateLoop(Installer.StageHook.NONE);
    }

    /** The same, telling {@code hook} the stages an installation passes (a seam for tests). */
    public UpdateLoop updateLoop(Installer.StageHook hook) {
        return updateLoop(hook, new VendorKeyRing(VendorKeyRing.PINNED, config.stateDir()), null);
    }

    /**
     * @param keys     the vendor keys packages are checked against
     * @param handOver called after a new agent build became current: the daemon exits with
     *                 {@link HandOver#EXIT_STATUS} so the launcher starts it; null installs in place
     */
    public UpdateLoop updateLoop(Installer.StageHook hook, VendorKeyRing keys, Runnable handOver) {
        return new UpdateLoop(config, stateDir, session(), backupTaker(), new Installer(config.stateDir(), hook),
                keys, handOver, new Random(), log);
    }

    /** The one work long-poll, dispatching to the settings, backup and update handlers. */
    public WorkLoop workLoop(Installer.StageHook hook) {
        return new WorkLoop(session(), settingsLoop(), backupLoop(), updateLoop(hook), log);
    }

    private WorkLoop workLoop(UpdateLoop updates) {
        return new WorkLoop(session(), settingsLoop(), backupLoop(), updates, log);
    }

    /** The sensor's own daily backup. */
    public BackupSchedule backupSchedule() {
        return new BackupSchedule(config.clock(), backupTaker(), new SettingsStore(stateDir.path()), log);
    }

    /** The daemon with updates installed in place (an in-process agent cannot be restarted). */
    public AgentRuntime runtime(Supplier<Health> health, Installer.StageHook installStages) {
        return runtime(health, installStages, new VendorKeyRing(VendorKeyRing.PINNED, config.stateDir()), null);
    }

    /**
     * The daemon: heartbeat (with {@code health} each time), the work long-poll, the alert outbox,
     * the daily backup and, after a hand-over, the wait for its watch to end, all on this agent's
     * one console session.
     *
     * @param handOver called when an update handed over to a new agent build (the daemon exits for the launcher)
     */
    public AgentRuntime runtime(Supplier<Health> health, Installer.StageHook installStages, VendorKeyRing keys,
                                Runnable handOver) {
        HeartbeatLoop heartbeat = heartbeatLoop(health);
        UpdateLoop updates = updateLoop(installStages, keys, handOver);
        WorkLoop work = workLoop(updates);
        AlertLoop alerts = alertLoop();
        BackupSchedule schedule = backupSchedule();
        return new AgentRuntime(List.of(
                new AgentRuntime.Loop("heartbeat", heartbeat::run, heartbeat::stop),
                new AgentRuntime.Loop("work", work::run, work::stop),
                new AgentRuntime.Loop("update-watch", updates::awaitWatch, updates::stop),
                new AgentRuntime.Loop("alerts", alerts::run, alerts::stop),
                new AgentRuntime.Loop("backup-schedule", schedule::run, schedule::stop)),
                List.of(session()), log);
    }
}
