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
import io.sensorfleet.agent.settings.SettingsLoop;
import io.sensorfleet.agent.settings.SettingsStore;
import io.sensorfleet.agent.update.Installer;
import io.sensorfleet.agent.update.InstalledVersions;
import io.sensorfleet.agent.update.UpdateLoop;
import io.sensorfleet.agent.heartbeat.Renewer;
import io.sensorfleet.agent.identity.CsrFactory;
import io.sensorfleet.agent.identity.RenewalPolicy;
import io.sensorfleet.agent.identity.StateDir;
import io.sensorfleet.protocol.v1.Health;

import java.util.Random;
import java.util.function.Supplier;

/**
 * Wires one agent's components from its {@link AgentConfig}. The CLI uses it; so can tests and a
 * simulator that run many agents in one JVM (one {@code Agent} per state dir).
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

    public Agent(AgentConfig config, AgentLog log, ConsoleClientFactory clients) {
        // After an update the sensor runs the version its state dir names (see InstalledVersions).
        this.config = config.withSoftwareVersion(InstalledVersions.running(config.stateDir(), config.softwareVersion()));
        this.log = log;
        this.stateDir = new StateDir(config.stateDir());
        this.clients = clients;
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

    public Enroller enroller() {
        return new Enroller(config, stateDir, tls, csrFactory, clients, Sleeper.system(), log);
    }

    public HeartbeatLoop heartbeatLoop(Supplier<Health> health) {
        Renewer renewer = new Renewer(stateDir, csrFactory, new RenewalPolicy(), config.clock());
        return new HeartbeatLoop(config, stateDir, tls, clients, renewer, health, new Random(), log);
    }

    public SettingsLoop settingsLoop() {
        return new SettingsLoop(config, stateDir, tls, clients, new Random(), log);
    }

    /** The settings loop putting settings in force on {@code appliance}, network changes on trial. */
    public SettingsLoop settingsLoop(Appliance appliance) {
        NetworkTrial trial = new NetworkTrial(appliance, new TrialJournal(config.stateDir()), config.clock(),
                Sleeper.system(), NETWORK_PROBE_INTERVAL, log);
        return new SettingsLoop(config, stateDir, tls, clients, new Random(), log, SettingsLoop.POLL_WAIT, appliance,
                trial);
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
        return new AlertLoop(config, stateDir, alertOutbox(), tls, clients, new Random(), log);
    }

    public BackupTaker backupTaker() {
        return new BackupTaker(config, stateDir);
    }

    public Restorer restorer() {
        return new Restorer(config, stateDir);
    }

    /** Carries out the console's backup and restore requests. */
    public BackupLoop backupLoop() {
        return new BackupLoop(config, stateDir, tls, clients, new Random(), log);
    }

    /** Carries out the console's software updates. */
    public UpdateLoop updateLoop() {
        return updateLoop(Installer.StageHook.NONE);
    }

    /** The same, telling {@code hook} the stages an installation passes (a seam for tests). */
    public UpdateLoop updateLoop(Installer.StageHook hook) {
        return new UpdateLoop(config, stateDir, tls, backupTaker(), new Installer(config.stateDir(), hook),
                new Random(), log);
    }

    /** The sensor's own daily backup. */
    public BackupSchedule backupSchedule() {
        return new BackupSchedule(config.clock(), backupTaker(), new SettingsStore(stateDir.path()), log);
    }
}
