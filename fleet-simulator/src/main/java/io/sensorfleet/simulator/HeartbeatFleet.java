package io.sensorfleet.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sensorfleet.agent.client.TlsSessionKeeper;
import io.sensorfleet.agent.session.Backoff;
import io.sensorfleet.agent.session.FailureStreak;
import io.sensorfleet.agent.heartbeat.Jitter;
import io.sensorfleet.protocol.v1.enrollment.AgentAddress;
import io.sensorfleet.protocol.v1.AgentPaths;
import io.sensorfleet.protocol.v1.heartbeat.HeartbeatRequest;
import io.sensorfleet.protocol.v1.heartbeat.HeartbeatResponse;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The simulated sensors reporting: one virtual thread per sensor, each with its own mTLS
 * connection, behaving like the agent's heartbeat loop — interval ±10 % jitter, exponential backoff
 * with full jitter on failure (base 1 s, capped at the interval), {@code Retry-After} honoured,
 * the next console address after a failure, the interval the console asks for unless overridden.
 */
final class HeartbeatFleet {
    static final double JITTER = 0.10;
    private static final Duration BACKOFF_BASE = Duration.ofSeconds(1);
    private static final ObjectMapper JSON = SimulatorJson.mapper();

    private final SimulatorOptions options;
    private final SensorTls tls;
    private final Phases phases;
    private final SensorBehaviour behaviour;
    private final List<SimulatedIdentity> identities;
    private final List<Thread> threads = new ArrayList<>();
    private final List<SensorLoop> loops = new ArrayList<>();
    private final AtomicInteger openConnections = new AtomicInteger();
    private final long keepAliveNanos;
    private final Connector connector;
    private volatile boolean running = true;

    HeartbeatFleet(SimulatorOptions options, SensorTls tls, Connector connector, Phases phases, SensorBehaviour behaviour,
                   List<SimulatedIdentity> identities) {
        this.options = options;
        this.tls = tls;
        this.phases = phases;
        this.behaviour = behaviour;
        this.identities = identities;
        this.keepAliveNanos = options.clientKeepAlive().toNanos();
        this.connector = connector;
    }

    /** Starts every sensor; their first heartbeats are spread uniformly over {@code ramp}. */
    void start(Duration ramp) {
        long start = System.nanoTime();
        for (int i = 0; i < identities.size(); i++) {
            long offset = ramp.isZero() ? 0 : ThreadLocalRandom.current().nextLong(ramp.toNanos());
            SensorLoop loop = new SensorLoop(i, identities.get(i), connector.bindFor(i), start + offset);
            loops.add(loop);
            threads.add(Thread.ofVirtual().start(loop));
        }
    }

    /**
     * Counts as reported at the start of {@code next} every sensor whose connection was opened in
     * {@code previous} and is still open, with no error answered on it: after a console restart,
     * the sensors already back on the restarted console (handshake done, heartbeat answered or on
     * its way) before the controller saw it ready. Needs {@code watchConnection}, else a
     * connection the stopped console closed still looks open.
     *
     * @return how many were counted
     */
    int countReconnected(PhaseStats previous, PhaseStats next) {
        int n = 0;
        for (SensorLoop loop : loops) {
            if (loop.connectedIn == previous) {
                next.reportedAtStart(loop.index);
                n++;
            }
        }
        return n;
    }

    int openConnections() {
        return openConnections.get();
    }

    /** Stops every sensor and closes its connection. */
    void stop() throws InterruptedException {
        running = false;
        threads.forEach(Thread::interrupt);
        long deadline = System.nanoTime() + options.requestTimeout().toNanos() + TimeUnit.SECONDS.toNanos(5);
        for (Thread t : threads) {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                t.join(Duration.ofNanos(left));
            }
        }
    }

    private final class SensorLoop implements Runnable {
        private final int index;
        private final SimulatedIdentity identity;
        private final InetAddress bind;
        private long next;
        private SSLContext ssl;
        /** As the agent's client does: the session survives the simulator's garbage collections. */
        private TlsSessionKeeper sessions;
        private AgentConnection connection;
        /** The phase the open connection was made in; null once an error was answered on it (read by the controller). */
        private volatile PhaseStats connectedIn;
        private int addressIndex;
        private final FailureStreak streak = new FailureStreak();
        private int intervalSeconds;
        private Duration retryAfter;
        // Sent with the next heartbeat, as the agent does: the sensor latency chart is fed by it.
        private Long lastRoundTripMs;

        SensorLoop(int index, SimulatedIdentity identity, InetAddress bind, long firstAt) {
            this.index = index;
            this.identity = identity;
            this.bind = bind;
            this.next = firstAt;
            this.intervalSeconds = options.intervalSeconds() != null ? options.intervalSeconds()
                    : identity.heartbeatIntervalSeconds() > 0 ? identity.heartbeatIntervalSeconds() : 30;
        }

        @Override
        public void run() {
            try {
                while (running && awaitTurn()) {
                    PhaseStats phase = phases.current();
                    long begin = System.nanoTime();
                    phase.attempt(begin - next);
                    boolean ok;
                    boolean refused = false;
                    try {
                        ok = heartbeat(phase, begin);
                    } catch (ExchangeException e) {
                        closeConnection();
                        if (!running) {
                            // Interrupted by stop(): the end of the run, not a failure of the console.
                            break;
                        }
                        phases.current().failed(e.kind(), e.getMessage());
                        refused = e.kind().equals("connect-refused");
                        ok = false;
                    } catch (RuntimeException e) {
                        // A bug in the simulator must show in the report, not silently stop a sensor.
                        closeConnection();
                        phases.current().failed("simulator-error:" + e.getClass().getSimpleName(), String.valueOf(e));
                        ok = false;
                    }
                    Duration interval = Duration.ofSeconds(intervalSeconds);
                    Duration delay;
                    if (ok) {
                        streak.succeeded();
                        delay = Jitter.spread(interval, JITTER, ThreadLocalRandom.current());
                    } else {
                        streak.failed(refused);
                        addressIndex++;
                        Backoff backoff = new Backoff(BACKOFF_BASE, interval);
                        delay = (refused ? backoff.afterRefusal() : backoff)
                                .delay(streak.backoffCount(refused), ThreadLocalRandom.current());
                        if (retryAfter != null && retryAfter.compareTo(delay) > 0) {
                            delay = retryAfter;
                        }
                    }
                    retryAfter = null;
                    next = System.nanoTime() + delay.toNanos();
                }
            } finally {
                closeConnection();
            }
        }

        private boolean heartbeat(PhaseStats phase, long begin) throws ExchangeException {
            List<AgentAddress> addresses = identity.addresses();
            AgentAddress address = addresses.get(Math.floorMod(addressIndex, addresses.size()));
            if (connection != null && (!connection.address().equals(address)
                    || connection.idleNanos(begin) > keepAliveNanos)) {
                closeConnection();
            }
            boolean fresh = connection == null;
            if (fresh) {
                connect(address, phase);
            }
            byte[] body = json(new HeartbeatRequest(Instant.now(), options.softwareVersion(),
                    behaviour.health(identity.sensorId()), null, lastRoundTripMs));
            // Like the agent: a failed heartbeat has no round trip to report next time.
            lastRoundTripMs = null;
            AgentConnection.Reply reply;
            try {
                reply = connection.post(AgentPaths.HEARTBEAT, body);
            } catch (ExchangeException e) {
                closeConnection();
                if (fresh || !e.beforeResponse()) {
                    throw e;
                }
                // The console closed the kept-alive connection (restart, idle timeout): java.net.http
                // notices that while the connection is idle and simply opens a new one; so does this.
                phase.staleRetry();
                connect(address, phase);
                reply = connection.post(AgentPaths.HEARTBEAT, body);
            }
            if (reply.close() || keepAliveNanos == 0) {
                closeConnection();
            }
            if (reply.status() != 200) {
                connectedIn = null;
                boolean throttled = reply.status() == 429 || reply.status() == 503;
                retryAfter = parseRetryAfter(reply.retryAfter());
                phases.current().failed("http-" + reply.status() + (throttled && retryAfter == null ? "-without-retry-after" : ""),
                        new String(reply.body(), java.nio.charset.StandardCharsets.UTF_8));
                return false;
            }
            long done = System.nanoTime();
            sessions.keepCurrent();
            // From the start of the exchange to the answer read, a new connection included, as the agent measures it.
            lastRoundTripMs = Math.min(HeartbeatRequest.MAX_ROUND_TRIP_MS, TimeUnit.NANOSECONDS.toMillis(done - begin));
            HeartbeatResponse response = read(reply.body());
            if (options.intervalSeconds() == null && response.heartbeatIntervalSeconds() > 0) {
                intervalSeconds = response.heartbeatIntervalSeconds();
            }
            // A failure counts in the phase it happened in (above), a success in the phase the
            // heartbeat was sent in, and as reported in the phase it was answered in too.
            phase.succeeded(index, done - begin, done);
            PhaseStats answeredIn = phases.current();
            if (answeredIn != phase) {
                answeredIn.answered(index, done);
            }
            behaviour.afterHeartbeat(identity.sensorId(), response, this::extra);
            return true;
        }

        private int extra(String path, Object body) throws IOException {
            if (connection == null) {
                connect(identity.addresses().get(Math.floorMod(addressIndex, identity.addresses().size())),
                        phases.current());
            }
            AgentConnection.Reply reply = connection.post(path, json(body));
            if (reply.status() != 200) {
                phases.current().failed(path + ":http-" + reply.status());
            }
            return reply.status();
        }

        private void connect(AgentAddress address, PhaseStats phase) throws ExchangeException {
            if (ssl == null) {
                ssl = tls.mutual(identity.privateKey(), identity.certificate(), identity.caCertificate());
                sessions = new TlsSessionKeeper(ssl);
            }
            long t0 = System.nanoTime();
            connection = connector.open(ssl, address, bind);
            connectedIn = phase;
            openConnections.incrementAndGet();
            phase.handshake(System.nanoTime() - t0);
        }

        private void closeConnection() {
            if (connection != null) {
                connectedIn = null;
                connection.close();
                connection = null;
                openConnections.decrementAndGet();
            }
        }

        /**
         * Until the next heartbeat is due; false when stopped. With {@code watchConnection}, a kept-alive
         * connection is watched meanwhile, standing for the agent's work long-poll: when the console
         * closes it, the sensor retries after the work loop's first backoff (the heartbeat attempts
         * that follow stand for the work loop's polls, with its backoff), and its first success is
         * the heartbeat the agent sends as soon as its work poll finds the console back.
         */
        private boolean awaitTurn() {
            while (options.watchConnection() && connection != null) {
                long wait = next - System.nanoTime();
                if (wait <= 0) {
                    return true;
                }
                try {
                    if (!connection.closedByConsoleWithin(wait)) {
                        continue;
                    }
                } catch (InterruptedException e) {
                    return false;
                }
                closeConnection();
                if (!running) {
                    return false;
                }
                streak.failed(false);
                next = System.nanoTime() + new Backoff(BACKOFF_BASE, Duration.ofSeconds(intervalSeconds))
                        .delay(streak.backoffCount(false), ThreadLocalRandom.current()).toNanos();
            }
            return sleepUntil(next);
        }

        private boolean sleepUntil(long at) {
            long wait = at - System.nanoTime();
            if (wait <= 0) {
                return true;
            }
            try {
                Thread.sleep(Duration.ofNanos(wait));
                return true;
            } catch (InterruptedException e) {
                return false;
            }
        }
    }

    private static Duration parseRetryAfter(String header) {
        if (header == null || !header.strip().matches("[0-9]{1,6}")) {
            return null;
        }
        return Duration.ofSeconds(Long.parseLong(header.strip()));
    }

    private static byte[] json(Object body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("protocol records always serialise", e);
        }
    }

    private static HeartbeatResponse read(byte[] body) {
        try {
            return JSON.readValue(body, HeartbeatResponse.class);
        } catch (IOException e) {
            throw new IllegalStateException("the console's heartbeat answer is not a HeartbeatResponse", e);
        }
    }
}
