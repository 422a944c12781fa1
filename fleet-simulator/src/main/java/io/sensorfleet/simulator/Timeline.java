package io.sensorfleet.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Heartbeat outcomes in consecutive short intervals (whatever the phase), so a report can show
 * latency percentiles and throughput over time rather than one figure per phase. The current
 * interval is swapped out whole at each cut; a sample recorded at that instant may land in either.
 */
final class Timeline {
    private record Interval(long startEpochMs, LatencyHistogram latency, LongAdder failures) {
    }

    private final AtomicReference<Interval> current;
    private final List<SimulationReport.TimelinePoint> points = new ArrayList<>();

    Timeline(long startEpochMs) {
        current = new AtomicReference<>(new Interval(startEpochMs, new LatencyHistogram(), new LongAdder()));
    }

    void succeeded(long latencyNanos) {
        current.get().latency().recordNanos(latencyNanos);
    }

    void failed() {
        current.get().failures().increment();
    }

    /** Ends the current interval at {@code nowEpochMs} and starts the next. */
    synchronized void cut(long nowEpochMs) {
        Interval done = current.getAndSet(new Interval(nowEpochMs, new LatencyHistogram(), new LongAdder()));
        long ms = Math.max(1, nowEpochMs - done.startEpochMs());
        long ok = done.latency().count();
        points.add(new SimulationReport.TimelinePoint(done.startEpochMs(), nowEpochMs, ok,
                Math.round(ok * 10_000.0 / ms) / 10.0, done.failures().sum(), done.latency().summary()));
    }

    synchronized List<SimulationReport.TimelinePoint> points() {
        return List.copyOf(points);
    }
}
