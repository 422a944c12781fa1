package io.sensorfleet.simulator;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * What happened to heartbeats during one phase of a run (ramp, steady, outage, recovery…): counts,
 * failures by kind, latencies, and which sensors got through at least once, so "every sensor
 * reported" and "all back within N s" are facts of the run rather than estimates.
 */
final class PhaseStats {
    private final String name;
    private final int sensors;
    private final long startNanos;
    private final long startEpochMs;
    private volatile long endNanos;
    private final LongAdder attempts = new LongAdder();
    private final LongAdder ok = new LongAdder();
    private final LongAdder handshakes = new LongAdder();
    private final LongAdder staleRetries = new LongAdder();
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    /** The first message seen for each kind of failure, so a report says what "io" was. */
    private final Map<String, String> examples = new ConcurrentHashMap<>();
    private final LatencyHistogram latency = new LatencyHistogram();
    private final LatencyHistogram connect = new LatencyHistogram();
    private final LatencyHistogram lag = new LatencyHistogram();
    private final AtomicLongArray reported;
    private final AtomicInteger reportedCount = new AtomicInteger();
    private final AtomicLong allReportedNanos = new AtomicLong(-1);

    private final Timeline timeline;

    PhaseStats(String name, int sensors, long startNanos, long startEpochMs, Timeline timeline) {
        this.timeline = timeline;
        this.name = name;
        this.sensors = sensors;
        this.startNanos = startNanos;
        this.startEpochMs = startEpochMs;
        this.reported = new AtomicLongArray((sensors + 63) / 64);
    }

    String name() {
        return name;
    }

    void attempt(long lagNanos) {
        attempts.increment();
        lag.recordNanos(lagNanos);
    }

    void handshake(long nanos) {
        handshakes.increment();
        connect.recordNanos(nanos);
    }

    void staleRetry() {
        staleRetries.increment();
    }

    void succeeded(int sensor, long latencyNanos, long atNanos) {
        ok.increment();
        latency.recordNanos(latencyNanos);
        timeline.succeeded(latencyNanos);
        markReported(sensor, atNanos);
    }

    /**
     * A heartbeat sent in an earlier phase was answered in this one: the sensor reported in this
     * phase too (its latency belongs to the phase it was sent in). After a restart, heartbeats sent
     * to the new console before the controller saw it ready are answered seconds into recovery.
     */
    void answered(int sensor, long atNanos) {
        markReported(sensor, atNanos);
    }

    /** The sensor counts as reported from this phase's start (it got through just before it). */
    void reportedAtStart(int sensor) {
        markReported(sensor, startNanos);
    }

    void failed(String kind) {
        failed(kind, null);
    }

    void failed(String kind, String detail) {
        failures.computeIfAbsent(kind, k -> new LongAdder()).increment();
        timeline.failed();
        if (detail != null && examples.size() < 20) {
            examples.putIfAbsent(kind, detail.length() > 300 ? detail.substring(0, 300) : detail);
        }
    }

    void end(long atNanos) {
        endNanos = atNanos;
    }

    private void markReported(int sensor, long atNanos) {
        int word = sensor >>> 6;
        long bit = 1L << (sensor & 63);
        long old;
        do {
            old = reported.get(word);
            if ((old & bit) != 0) {
                return;
            }
        } while (!reported.compareAndSet(word, old, old | bit));
        if (reportedCount.incrementAndGet() == sensors) {
            allReportedNanos.compareAndSet(-1, atNanos);
        }
    }

    /**
     * @param offeredPerSecond heartbeats per second the fleet is meant to send (sensors / interval)
     */
    SimulationReport.Phase report(long nowNanos, double offeredPerSecond) {
        long end = endNanos == 0 ? nowNanos : endNanos;
        long durationMs = Math.max(1, (end - startNanos) / 1_000_000);
        Map<String, Long> byKind = new TreeMap<>();
        failures.forEach((k, v) -> byKind.put(k, v.sum()));
        long all = allReportedNanos.get();
        return new SimulationReport.Phase(name, startEpochMs, durationMs, offeredPerSecond, attempts.sum(), ok.sum(),
                Math.round(ok.sum() * 1000.0 / durationMs * 10) / 10.0, byKind,
                byKind.values().stream().mapToLong(Long::longValue).sum(), new TreeMap<>(examples), latency.summary(),
                handshakes.sum(),
                connect.summary(), staleRetries.sum(), lag.summary(), reportedCount.get(), sensors,
                all < 0 ? null : (all - startNanos) / 1_000_000);
    }
}
