package io.sensorfleet.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The run's phases in order; heartbeat outcomes go to the current one. A phase ends where the next
 * begins, switched by the run's own timing or by a controller (e.g. a benchmark script marking
 * "console restarting" and "console ready").
 */
final class Phases {
    private final int sensors;
    private final List<PhaseStats> all = new ArrayList<>();
    private final AtomicReference<PhaseStats> current = new AtomicReference<>();
    private final Timeline timeline = new Timeline(System.currentTimeMillis());

    Phases(int sensors, String first) {
        this.sensors = sensors;
        begin(first);
    }

    PhaseStats current() {
        return current.get();
    }

    synchronized PhaseStats begin(String name) {
        long now = System.nanoTime();
        PhaseStats previous = current.get();
        if (previous != null) {
            previous.end(now);
        }
        PhaseStats next = new PhaseStats(name, sensors, now, System.currentTimeMillis(), timeline);
        all.add(next);
        current.set(next);
        return next;
    }

    Timeline timeline() {
        return timeline;
    }

    synchronized void endAll() {
        current.get().end(System.nanoTime());
    }

    synchronized List<SimulationReport.Phase> report(double offeredPerSecond) {
        long now = System.nanoTime();
        return all.stream().map(p -> p.report(now, offeredPerSecond)).toList();
    }
}
