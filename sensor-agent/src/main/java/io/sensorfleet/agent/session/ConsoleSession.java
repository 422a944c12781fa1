package io.sensorfleet.agent.session;

import io.sensorfleet.agent.AgentConfig;
import io.sensorfleet.agent.AgentException;
import io.sensorfleet.agent.AgentLog;
import io.sensorfleet.agent.Wakeup;
import io.sensorfleet.agent.backup.BackupClient;
import io.sensorfleet.agent.client.AgentTls;
import io.sensorfleet.agent.client.ConsoleCallException;
import io.sensorfleet.agent.client.ConsoleClient;
import io.sensorfleet.agent.client.ConsoleException;
import io.sensorfleet.agent.client.ConsoleUnreachableException;
import io.sensorfleet.agent.identity.Credentials;
import io.sensorfleet.agent.identity.Identity;
import io.sensorfleet.agent.identity.NotConnectedException;
import io.sensorfleet.agent.identity.StateDir;
import io.sensorfleet.protocol.v1.enrollment.AgentAddress;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * The sensor's one session with the console, shared by every loop of the daemon: the identity and
 * credentials (loaded once, replaced in memory on renewal), ONE {@link HttpClient} (java.net.http
 * pools connections per client, so the heartbeat and the work long-poll keep at most two
 * connections between them), which console address to call (a failure moves every loop on to the
 * next), and the retry delay (exponential backoff with full jitter, never shorter than the
 * console's {@code Retry-After}).
 * <p>
 * {@code agent.json} is only looked at (size and modification time) on each use, and read again
 * when it changed — so that a {@code connect --force} while the daemon runs takes effect — never
 * the key and certificate, which are read once per identity and replaced in memory by
 * {@link #renewIfDue}.
 */
public final class ConsoleSession implements AutoCloseable {

    /** What a loop calls the console with: the identity and the clients bound to its credentials. */
    public record Lease(Identity identity, Credentials credentials, ConsoleClient console, BackupClient transfers) {
    }

    private final AgentConfig config;
    private final StateDir stateDir;
    private final AgentTls tls;
    private final Renewer renewer;
    private final Random random;
    private final AgentLog log;

    private Lease lease;
    private HttpClient http;
    private Object identityStamp;
    private int addressIndex;
    private boolean closed;
    private final Wakeup consoleBack = new Wakeup();

    public ConsoleSession(AgentConfig config, StateDir stateDir, AgentTls tls, Renewer renewer, Random random,
                          AgentLog log) {
        this.config = config;
        this.stateDir = stateDir;
        this.tls = tls;
        this.renewer = renewer;
        this.random = random;
        this.log = log;
    }

    /**
     * Woken when the console answers the work long-poll again after it failed (a console restart, a
     * network outage): the heartbeat then reports at once instead of at its next turn, so that a
     * restarted console has every sensor's state within seconds, not within an interval.
     */
    public Wakeup consoleBack() {
        return consoleBack;
    }

    /**
     * The session for the identity on disk; a new one (new credentials, new client, first address)
     * when another sensor identity or certificate was saved there.
     *
     * @throws NotConnectedException when the sensor has no identity yet
     */
    public synchronized Lease lease() {
        if (closed) {
            throw new IllegalStateException("the console session is closed");
        }
        Object stamp = stamp(stateDir.path().resolve(StateDir.IDENTITY));
        if (lease != null && Objects.equals(stamp, identityStamp)) {
            return lease;
        }
        Identity onDisk = stateDir.requireIdentity();
        identityStamp = stamp;
        if (lease != null && sameCredentials(lease.identity(), onDisk)) {
            // Only the interval or the addresses changed: the connection stays.
            lease = new Lease(onDisk, lease.credentials(), lease.console(), lease.transfers());
            return lease;
        }
        if (lease == null || !lease.identity().sensorId().equals(onDisk.sensorId())) {
            addressIndex = 0;
        }
        open(onDisk, stateDir.credentials());
        return lease;
    }

    /** The address calls go to now; the same for every loop. */
    public synchronized AgentAddress address() {
        List<AgentAddress> addresses = lease().identity().agentAddresses();
        if (addresses.isEmpty()) {
            throw new AgentException("agent.json lists no usable console address; connect again");
        }
        return addresses.get(Math.floorMod(addressIndex, addresses.size()));
    }

    /**
     * A call to {@code address} failed: when the console was unreachable there, every loop moves on
     * to the next address (the one that failed may be the one that is down). An answer with an
     * error status keeps the address: that console is up.
     */
    public synchronized void failed(AgentAddress address, ConsoleCallException e) {
        if (e instanceof ConsoleException) {
            return;
        }
        List<AgentAddress> addresses = lease == null ? List.of() : lease.identity().agentAddresses();
        if (!addresses.isEmpty() && addresses.get(Math.floorMod(addressIndex, addresses.size())).equals(address)) {
            addressIndex++;
        }
    }

    /**
     * How long to wait after the {@code failures}-th failure in a row: uniformly random up to
     * {@code min(cap, base·2^(n-1))}, at least the console's {@code Retry-After}.
     */
    public Duration backoff(int failures, Duration cap, Duration retryAfter) {
        return delay(new Backoff(config.backoffBase(), cap), failures, retryAfter);
    }

    /**
     * {@link #backoff(int, Duration, Duration)} after the failed call {@code e} that ended
     * {@code streak} (already counted), with its {@code Retry-After} if it had one: after a refused
     * connection the cap is at most {@link Backoff#REFUSED_CAP}; after any other failure the delay
     * grows only with the failures of the streak that loaded the console ({@link FailureStreak}).
     */
    public Duration backoffAfter(FailureStreak streak, Duration cap, ConsoleCallException e) {
        boolean refused = refused(e);
        Backoff backoff = new Backoff(config.backoffBase(), cap);
        if (refused) {
            backoff = backoff.afterRefusal();
        }
        return delay(backoff, streak.backoffCount(refused), e instanceof ConsoleException c ? c.retryAfter().orElse(null) : null);
    }

    /** True when {@code e} is a refused connection: nothing listened at the address. */
    public static boolean refused(ConsoleCallException e) {
        return e instanceof ConsoleUnreachableException u && u.refused();
    }

    private Duration delay(Backoff backoff, int failures, Duration retryAfter) {
        Duration delay;
        synchronized (random) {
            delay = backoff.delay(failures, random);
        }
        return retryAfter != null && retryAfter.compareTo(delay) > 0 ? retryAfter : delay;
    }

    /**
     * Renews the certificate through {@code address} when it is due; the new key and certificate
     * are saved and take effect in memory for every loop's next call (a new client: connections of
     * the old one finish what they carry and close).
     *
     * @return true when it renewed
     */
    public boolean renewIfDue(AgentAddress address) throws ConsoleCallException {
        Lease current;
        synchronized (this) {
            current = lease();
            if (!renewer.isDue(current.credentials())) {
                return false;
            }
        }
        Renewer.Renewal renewal = renewer.renew(current.console(), address, current.identity(), current.credentials());
        synchronized (this) {
            identityStamp = stamp(stateDir.path().resolve(StateDir.IDENTITY));
            open(renewal.identity(), renewal.credentials());
        }
        log.info("certificate renewed; valid until " + renewal.identity().certificateNotAfter());
        return true;
    }

    /** Saves a changed identity (e.g. the interval the console asked for) without reconnecting. */
    public synchronized void saveIdentity(Identity changed) {
        stateDir.saveIdentity(changed);
        identityStamp = stamp(stateDir.path().resolve(StateDir.IDENTITY));
        if (lease != null) {
            lease = new Lease(changed, lease.credentials(), lease.console(), lease.transfers());
        }
    }

    /**
     * New connections for the next calls, same credentials: after the sensor's own network changed,
     * pooled connections may be bound to an address it no longer has.
     */
    public synchronized void reconnect() {
        if (lease != null && !closed) {
            open(lease.identity(), lease.credentials());
        }
    }

    /** Ends every call in progress (a long-poll included) and refuses new ones. */
    @Override
    public synchronized void close() {
        closed = true;
        if (http != null) {
            http.shutdownNow();
            http = null;
        }
        lease = null;
    }

    private void open(Identity identity, Credentials credentials) {
        HttpClient previous = http;
        http = HttpClient.newBuilder()
                .sslContext(tls.mutual(credentials))
                .sslParameters(AgentTls.parameters())
                // One request at a time per connection: HTTP/2 would add nothing but ALPN surprises.
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        lease = new Lease(identity, credentials, new ConsoleClient(http, config.requestTimeout()),
                new BackupClient(http, config.requestTimeout()));
        if (previous != null) {
            // Calls in flight on the old credentials complete; its idle connections close.
            previous.shutdown();
        }
    }

    private static boolean sameCredentials(Identity a, Identity b) {
        return a.sensorId().equals(b.sensorId()) && a.certificateFingerprint().equals(b.certificateFingerprint());
    }

    private static Object stamp(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return List.of(a.lastModifiedTime(), a.size(), String.valueOf(a.fileKey()));
        } catch (IOException e) {
            return null;
        }
    }
}
