package io.sensorfleet.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sensorfleet.protocol.v1.AgentPaths;
import io.sensorfleet.protocol.v1.alerts.AlertReport;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * While the run is in the alert phase, the first N sensors send alerts at a fleet-wide rate, each
 * on a connection of its own. Like the agent's outbox, an alert the console did not accept
 * (429 with Retry-After, a broken connection) is sent again until it is accepted, so every alert
 * created is eventually delivered; the report says how many were created, accepted and retried.
 */
final class AlertBurst implements Workload {
    private static final ObjectMapper JSON = SimulatorJson.mapper();
    private static final AlertReport.Severity[] SEVERITIES = AlertReport.Severity.values();

    private final SimulatorOptions options;
    private final SensorTls tls;
    private final Workloads workloads;
    private final List<Thread> threads = new ArrayList<>();
    private final LongAdder created = new LongAdder();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder resent = new LongAdder();
    private final LatencyHistogram latency = new LatencyHistogram();
    private final Outcomes outcomes = new Outcomes();
    private volatile Phases phases;
    private volatile boolean running = true;
    /** After stop(): an alert not accepted by then is given up (counted as abandoned). */
    private volatile long giveUpAtNanos = Long.MAX_VALUE;
    private volatile long firstEpochMs;
    private volatile long lastEpochMs;

    /** @param abandoned alerts created but not accepted when the run stopped (0 unless the console was unreachable at the end) */
    record Report(double offeredPerSecond, int sensors, String phase, long created, long accepted, long abandoned,
                  long duplicates, long resent, long firstEpochMs, long lastEpochMs, LatencyHistogram.Summary latency,
                  Map<String, Long> failures, Map<String, String> failureExamples) {
    }

    AlertBurst(SimulatorOptions options, SensorTls tls, Workloads workloads) {
        this.options = options;
        this.tls = tls;
        this.workloads = workloads;
    }

    @Override
    public String name() {
        return "alerts";
    }

    @Override
    public void start(List<SimulatedIdentity> identities, Phases phases, Duration ramp) {
        this.phases = phases;
        List<SimulatedIdentity> senders = identities.subList(0, Math.min(workloads.alertSensors(), identities.size()));
        double perSensor = workloads.alertsPerSecond() / senders.size();
        for (int i = 0; i < senders.size(); i++) {
            int index = i;
            threads.add(Thread.ofVirtual().start(() -> send(index, senders.get(index), perSensor)));
        }
    }

    private void send(int index, SimulatedIdentity identity, double perSecond) {
        SSLContext ssl = tls.mutual(identity);
        long gapNanos = (long) (1e9 / perSecond);
        long next = System.nanoTime() + ThreadLocalRandom.current().nextLong(gapNanos);
        AgentConnection connection = null;
        long sequence = 0;
        try {
            while (running) {
                if (!phases.current().name().equals(workloads.alertPhase())) {
                    Thread.sleep(50);
                    next = System.nanoTime() + ThreadLocalRandom.current().nextLong(gapNanos);
                    continue;
                }
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(Duration.ofNanos(wait));
                }
                next += gapNanos;
                byte[] body = JSON.writeValueAsBytes(new AlertReport("sim-" + identity.sensorId() + "-" + sequence++,
                        "simulated alert " + sequence, SEVERITIES[(int) (sequence % SEVERITIES.length)], "simulator",
                        "tcp", "10.0." + (index % 250) + ".1", "10.1.0." + (sequence % 250), Instant.now()));
                created.increment();
                long t0 = System.nanoTime();
                if (firstEpochMs == 0) {
                    firstEpochMs = System.currentTimeMillis();
                }
                connection = deliver(identity, ssl, connection, body);
                latency.recordNanos(System.nanoTime() - t0);
                lastEpochMs = System.currentTimeMillis();
            }
        } catch (InterruptedException | IOException e) {
            // stop(), or an alert that cannot be serialised (never)
        } finally {
            if (connection != null) {
                connection.close();
            }
        }
    }

    /** Sends one alert until the console accepted it; returns the connection to use next. */
    private AgentConnection deliver(SimulatedIdentity identity, SSLContext ssl, AgentConnection connection, byte[] body)
            throws InterruptedException {
        for (int attempt = 1; System.nanoTime() < giveUpAtNanos; attempt++) {
            long pause = Math.min(5000, 200L << Math.min(attempt, 5));
            try {
                if (connection == null) {
                    connection = AgentConnection.open(ssl, identity.addresses().getFirst(), null,
                            (int) options.requestTimeout().toMillis());
                }
                AgentConnection.Reply reply = connection.post(AgentPaths.ALERTS, body);
                if (reply.close()) {
                    connection.close();
                    connection = null;
                }
                if (reply.status() == 200 || reply.status() == 201) {
                    accepted.increment();
                    if (new String(reply.body(), java.nio.charset.StandardCharsets.UTF_8).contains("\"duplicate\":true")) {
                        duplicates.increment();
                    }
                    return connection;
                }
                outcomes.failed("http-" + reply.status(), new String(reply.body(), java.nio.charset.StandardCharsets.UTF_8));
                String retryAfter = reply.retryAfter();
                if (retryAfter != null && retryAfter.strip().matches("[0-9]{1,4}")) {
                    pause = Long.parseLong(retryAfter.strip()) * 1000;
                }
            } catch (ExchangeException e) {
                outcomes.failed(e.kind(), e.getMessage());
                if (connection != null) {
                    connection.close();
                    connection = null;
                }
            }
            resent.increment();
            Thread.sleep(ThreadLocalRandom.current().nextLong(pause / 2, pause + 1));
        }
        return connection;
    }

    /** Stops creating alerts, lets each sender finish delivering the one in hand (bounded), then stops them. */
    @Override
    public void stop() throws InterruptedException {
        running = false;
        giveUpAtNanos = System.nanoTime() + options.requestTimeout().multipliedBy(2).toNanos();
        for (Thread t : threads) {
            long left = giveUpAtNanos - System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(1);
            if (left > 0) {
                t.join(Duration.ofNanos(left));
            }
        }
        Workload.interruptAndJoin(threads, options);
    }

    @Override
    public Report report() {
        return new Report(workloads.alertsPerSecond(), threads.size(), workloads.alertPhase(), created.sum(), accepted.sum(),
                created.sum() - accepted.sum(), duplicates.sum(), resent.sum(), firstEpochMs, lastEpochMs, latency.summary(), outcomes.byKind(),
                outcomes.examples());
    }

    @Override
    public String progress() {
        return "alerts: created=" + created.sum() + " accepted=" + accepted.sum() + " resent=" + resent.sum()
                + " failures=" + outcomes.byKind();
    }
}
