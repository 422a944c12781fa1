package io.sensorfleet.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sensorfleet.agent.client.TlsSessionKeeper;
import io.sensorfleet.protocol.v1.AgentPaths;
import io.sensorfleet.protocol.v1.settings.SettingsAck;
import io.sensorfleet.protocol.v1.settings.SettingsPush;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every sensor long-polls its settings on a connection of its own, as the agent's settings loop
 * does, and acknowledges each new revision at once ({@code applied=true}). The report gives, per
 * revision, when each acknowledgement was accepted (epoch ms), so a benchmark can measure from
 * the moment it pushed.
 */
final class SettingsPollers implements Workload {
    private static final Duration WAIT = Duration.ofSeconds(25);
    private static final ObjectMapper JSON = SimulatorJson.mapper();

    private final SimulatorOptions options;
    private final SensorTls tls;
    private final Connector connector;
    private final List<Thread> threads = new ArrayList<>();
    /** revision → sensor → when its first acknowledgement of that revision was accepted. */
    private final Map<Long, Map<String, Long>> acks = new ConcurrentHashMap<>();
    /** revision → sensor → when the console's answer first brought it that revision (before acknowledging). */
    private final Map<Long, Map<String, Long>> received = new ConcurrentHashMap<>();
    private final LongAdder repeated = new LongAdder();
    private final AtomicInteger polling = new AtomicInteger();
    private final LongAdder polls = new LongAdder();
    private final Outcomes outcomes = new Outcomes();
    private volatile boolean running = true;

    /**
     * Per revision: sensors that acknowledged it, when each acknowledgement was first accepted and
     * when each sensor first received the revision (epoch ms, each list in order). Between the two:
     * the sensor's own work and the acknowledgement's round trip.
     */
    record RevisionAcks(long revision, int acknowledged, List<Long> acceptedAtEpochMs, List<Long> receivedAtEpochMs) {
    }

    /**
     * @param repeatedAcks acknowledgements of a revision the same sensor had acknowledged before (the
     *                     console sent it again, e.g. after a broken poll); not counted in revisions
     */
    record Report(long polls, long repeatedAcks, Map<String, Long> failures, Map<String, String> failureExamples,
                  List<RevisionAcks> revisions) {
    }

    SettingsPollers(SimulatorOptions options, SensorTls tls, Connector connector) {
        this.options = options;
        this.tls = tls;
        this.connector = connector;
    }

    @Override
    public String name() {
        return "settings";
    }

    @Override
    public void start(List<SimulatedIdentity> identities, Phases phases, Duration ramp) {
        for (int i = 0; i < identities.size(); i++) {
            SimulatedIdentity identity = identities.get(i);
            InetAddress bind = connector.bindFor(i);
            long offset = ramp.isZero() ? 0 : ThreadLocalRandom.current().nextLong(ramp.toMillis() + 1);
            threads.add(Thread.ofVirtual().start(() -> poll(identity, bind, offset)));
        }
    }

    private void poll(SimulatedIdentity identity, InetAddress bind, long startAfterMillis) {
        try {
            Thread.sleep(startAfterMillis);
        } catch (InterruptedException e) {
            return;
        }
        SSLContext ssl = tls.mutual(identity);
        // As the agent's client does: the session survives the simulator's garbage collections.
        TlsSessionKeeper sessions = new TlsSessionKeeper(ssl);
        AgentConnection connection = null;
        long known = -1;
        int failures = 0;
        try {
            while (running) {
                try {
                    if (connection == null) {
                        connection = connector.open(ssl, identity.addresses().get(failures % identity.addresses().size()), bind);
                        polling.incrementAndGet();
                    }
                    AgentConnection.Reply reply = connection.get(AgentPaths.SETTINGS + "?known=" + known
                            + "&waitSeconds=" + WAIT.toSeconds(), WAIT.plus(options.requestTimeout()));
                    polls.increment();
                    sessions.keepCurrent();
                    if (reply.status() == 200) {
                        long receivedAt = System.currentTimeMillis();
                        SettingsPush push = JSON.readValue(reply.body(), SettingsPush.class);
                        received.computeIfAbsent(push.revision(), r -> new ConcurrentHashMap<>())
                                .putIfAbsent(identity.sensorId(), receivedAt);
                        AgentConnection.Reply ack = connection.post(AgentPaths.SETTINGS_ACK,
                                JSON.writeValueAsBytes(new SettingsAck(push.revision(), true, null, null, null)));
                        if (ack.status() >= 300) {
                            throw new IOException("settings-ack:http-" + ack.status());
                        }
                        if (acks.computeIfAbsent(push.revision(), r -> new ConcurrentHashMap<>())
                                .putIfAbsent(identity.sensorId(), System.currentTimeMillis()) != null) {
                            repeated.increment();
                        }
                        known = push.revision();
                    } else if (reply.status() != 204) {
                        throw new IOException("settings:http-" + reply.status());
                    }
                    if (reply.close()) {
                        connection.close();
                        connection = null;
                        polling.decrementAndGet();
                    }
                    failures = 0;
                } catch (IOException e) {
                    if (!running) {
                        break;
                    }
                    outcomes.failed(e instanceof ExchangeException x ? x.kind()
                            : e.getMessage() != null && e.getMessage().startsWith("settings") ? e.getMessage()
                            : e.getClass().getSimpleName(), e.getMessage());
                    if (connection != null) {
                        connection.close();
                        connection = null;
                        polling.decrementAndGet();
                    }
                    failures++;
                    Thread.sleep(Duration.ofMillis(ThreadLocalRandom.current().nextLong(1000L << Math.min(failures, 4))));
                }
            }
        } catch (InterruptedException e) {
            // stop()
        } finally {
            if (connection != null) {
                connection.close();
                polling.decrementAndGet();
            }
        }
    }

    @Override
    public void stop() throws InterruptedException {
        running = false;
        Workload.interruptAndJoin(threads, options);
    }

    @Override
    public Report report() {
        Map<Long, RevisionAcks> byRevision = new TreeMap<>();
        acks.forEach((revision, times) -> {
            List<Long> sorted = sorted(times);
            byRevision.put(revision, new RevisionAcks(revision, sorted.size(), sorted,
                    sorted(received.getOrDefault(revision, Map.of()))));
        });
        return new Report(polls.sum(), repeated.sum(), outcomes.byKind(), outcomes.examples(), List.copyOf(byRevision.values()));
    }

    private static List<Long> sorted(Map<String, Long> times) {
        List<Long> sorted = new ArrayList<>(times.values());
        sorted.sort(null);
        return sorted;
    }

    @Override
    public String progress() {
        StringBuilder s = new StringBuilder("settings: polling=" + polling.get() + " acks=");
        new TreeMap<>(acks).forEach((r, q) -> s.append('r').append(r).append(':').append(q.size()).append(' '));
        return s.append("failures=").append(outcomes.byKind()).toString();
    }
}
