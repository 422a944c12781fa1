package io.sensorfleet.agent.heartbeat;

import io.sensorfleet.agent.PollLoop;
import io.sensorfleet.agent.activation.ActivationStore;
import io.sensorfleet.agent.AgentConfig;
import io.sensorfleet.agent.AgentException;
import io.sensorfleet.agent.AgentLog;
import io.sensorfleet.agent.client.AgentTls;
import io.sensorfleet.agent.client.ConsoleCallException;
import io.sensorfleet.agent.client.ConsoleClientFactory;
import io.sensorfleet.agent.client.ConsoleException;
import io.sensorfleet.agent.identity.AgentStatus;
import io.sensorfleet.agent.identity.Credentials;
import io.sensorfleet.agent.identity.Identity;
import io.sensorfleet.agent.identity.NotConnectedException;
import io.sensorfleet.agent.identity.StateDir;
import io.sensorfleet.agent.update.InstalledVersions;
import io.sensorfleet.protocol.v1.AgentAddress;
import io.sensorfleet.protocol.v1.Health;
import io.sensorfleet.protocol.v1.HeartbeatRequest;
import io.sensorfleet.protocol.v1.HeartbeatResponse;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

/**
 * The daemon: a heartbeat every interval (±10 %), exponential backoff with full jitter and address
 * failover on failure, certificate renewal at two thirds of its lifetime, status in status.json.
 * <p>
 * {@link #runOnce()} is one step, for tests and simulators that drive time themselves; {@link #run()}
 * repeats it until {@link #stop()}. One thread drives a loop; only {@code stop} may come from another.
 * The identity is re-read every step, so a {@code connect --force} while the daemon runs takes effect.
 */
public final class HeartbeatLoop {
    static final double JITTER = 0.10;
    static final Duration NOT_CONNECTED_POLL = Duration.ofSeconds(5);
    static final Duration AFTER_UNEXPECTED_ERROR = Duration.ofSeconds(30);

    private final AgentConfig config;
    private final StateDir stateDir;
    private final AgentTls tls;
    private final ConsoleClientFactory clients;
    private final Renewer renewer;
    private final Supplier<Health> health;
    private final Random random;
    private final AgentLog log;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final ActivationStore activations;

    private Session session;
    private AgentStatus status = AgentStatus.none();
    private int addressIndex;
    private boolean reporting;
    private boolean waitingLogged;

    public HeartbeatLoop(AgentConfig config, StateDir stateDir, AgentTls tls, ConsoleClientFactory clients,
                         Renewer renewer, Supplier<Health> health, Random random, AgentLog log) {
        this.config = config;
        this.stateDir = stateDir;
        this.tls = tls;
        this.clients = clients;
        this.renewer = renewer;
        this.health = health;
        this.random = random;
        this.log = log;
        this.activations = new ActivationStore(stateDir.path());
    }

    /** One heartbeat attempt, then renewal if due and the console answered. */
    public HeartbeatOutcome runOnce() {
        Session current;
        try {
            current = currentSession();
        } catch (NotConnectedException e) {
            if (!waitingLogged) {
                log.info(e.getMessage().replace("run '", "waiting for '"));
                waitingLogged = true;
            }
            return new HeartbeatOutcome(HeartbeatOutcome.Result.NOT_CONNECTED, null, NOT_CONNECTED_POLL,
                    e.getMessage(), HeartbeatOutcome.Renewal.NOT_DUE);
        }
        waitingLogged = false;
        Duration interval = interval(current.identity());
        List<AgentAddress> addresses = current.identity().agentAddresses();
        if (addresses.isEmpty()) {
            return failed(null, interval, "agent.json lists no usable console address; connect again", null);
        }
        AgentAddress address = addresses.get(Math.floorMod(addressIndex, addresses.size()));
        Instant now = config.clock().instant();
        Instant notAfter = current.credentials().certificate().getNotAfter().toInstant();
        if (!now.isBefore(notAfter)) {
            return failed(address, interval, "the sensor certificate expired at " + notAfter
                    + "; connect again with a new connection string", null);
        }
        try {
            HeartbeatResponse response = current.client().heartbeat(address,
                    new HeartbeatRequest(now, InstalledVersions.running(stateDir.path(), config.softwareVersion()), health.get(),
                            activations.state(current.identity().sensorId()).orElse(null)));
            return reported(address, now, response);
        } catch (ConsoleException e) {
            return failed(address, interval, e.getMessage(), e.retryAfter().orElse(null));
        } catch (ConsoleCallException e) {
            return failed(address, interval, e.getMessage(), null);
        }
    }

    /** Repeats {@link #runOnce()} until {@link #stop()}, then releases the connection. */
    public void run() {
        try {
            // A broken state dir or a bug must not end the daemon: the next step may succeed.
            PollLoop.repeat(stopped, log, "heartbeat", () -> runOnce().nextDelay(), () -> AFTER_UNEXPECTED_ERROR);
        } finally {
            closeSession();
        }
    }

    /** Ends {@link #run()} at once, even while it waits; safe from any thread. */
    public void stop() {
        stopped.countDown();
    }

    /** The status as last recorded by this loop. */
    public AgentStatus status() {
        return status;
    }

    private HeartbeatOutcome reported(AgentAddress address, Instant at, HeartbeatResponse response) {
        int previousFailures = status.consecutiveFailures();
        status = status.succeeded(at, address.toString());
        if (!reporting) {
            log.info("reporting to " + address + " as " + session.identity().sensorName() + " (sensor id "
                    + session.identity().sensorId() + ")");
        } else if (previousFailures > 0) {
            log.info("reporting again via " + address + " after " + previousFailures + " failed attempts");
        }
        reporting = true;
        adoptInterval(response);
        HeartbeatOutcome.Renewal renewal = HeartbeatOutcome.Renewal.NOT_DUE;
        String error = null;
        if (renewer.isDue(session.credentials())) {
            try {
                renew(address);
                renewal = HeartbeatOutcome.Renewal.RENEWED;
            } catch (ConsoleCallException | AgentException e) {
                renewal = HeartbeatOutcome.Renewal.FAILED;
                error = "certificate renewal failed: " + e.getMessage();
                status = status.withError(config.clock().instant(), error);
                log.warn(error + "; retrying after the next heartbeat");
            }
        }
        record();
        return new HeartbeatOutcome(HeartbeatOutcome.Result.REPORTED, address,
                Jitter.spread(interval(session.identity()), JITTER, random), error, renewal);
    }

    private HeartbeatOutcome failed(AgentAddress address, Duration interval, String error, Duration retryAfter) {
        status = status.failed(config.clock().instant(), address == null ? null : address.toString(), error);
        // The next attempt goes to the next address: the one that failed may be the one that is down.
        addressIndex++;
        Duration delay = new Backoff(config.backoffBase(), interval).delay(status.consecutiveFailures(), random);
        if (retryAfter != null && retryAfter.compareTo(delay) > 0) {
            delay = retryAfter;
        }
        log.warn("heartbeat failed (" + status.consecutiveFailures() + " in a row): " + error
                + "; next attempt in " + seconds(delay));
        record();
        return new HeartbeatOutcome(HeartbeatOutcome.Result.FAILED, address, delay, error,
                HeartbeatOutcome.Renewal.NOT_DUE);
    }

    private void renew(AgentAddress address) throws ConsoleCallException {
        Renewer.Renewal renewal = renewer.renew(session.client(), address, session.identity(), session.credentials());
        Session renewed = new Session(renewal.identity(), renewal.credentials(),
                clients.create(tls.mutual(renewal.credentials())));
        closeSession();
        session = renewed;
        log.info("certificate renewed; valid until " + renewal.identity().certificateNotAfter());
    }

    private void adoptInterval(HeartbeatResponse response) {
        int asked = response.heartbeatIntervalSeconds();
        if (config.heartbeatIntervalOverride().isPresent() || asked <= 0
                || asked == session.identity().heartbeatIntervalSeconds()) {
            return;
        }
        Identity changed = session.identity().withHeartbeatInterval(asked);
        stateDir.saveIdentity(changed);
        session = session.withIdentity(changed);
        log.info("console set the heartbeat interval to " + asked + " s");
    }

    /** The session for the identity on disk, rebuilt when that identity changed. */
    private Session currentSession() {
        Identity onDisk = stateDir.requireIdentity();
        if (session != null && session.identity().equals(onDisk)) {
            return session;
        }
        Credentials credentials = stateDir.credentials();
        boolean otherSensor = session == null || !session.identity().sensorId().equals(onDisk.sensorId());
        closeSession();
        session = new Session(onDisk, credentials, clients.create(tls.mutual(credentials)));
        if (otherSensor) {
            addressIndex = 0;
            reporting = false;
            status = stateDir.status();
        }
        return session;
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

    private void closeSession() {
        if (session != null) {
            session.close();
            session = null;
        }
    }

    private static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
