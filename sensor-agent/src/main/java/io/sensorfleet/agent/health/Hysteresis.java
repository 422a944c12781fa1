package io.sensorfleet.agent.health;

import io.sensorfleet.protocol.v1.heartbeat.Health.Status;
import io.sensorfleet.protocol.v1.heartbeat.HealthCheck;

import java.util.HashMap;
import java.util.Map;

/**
 * Holds back a check's change of status until the new status held for {@code runs} runs in a row,
 * so one slow read, one busy minute or one missed packet count does not raise (and then clear) an
 * alarm at the console. A check's first run (at start, or when it is added) is reported as measured.
 */
final class Hysteresis {
    private record State(Status reported, Status candidate, int count) {
    }

    private final int runs;
    private final Map<String, State> states = new HashMap<>();

    Hysteresis(int runs) {
        this.runs = runs;
    }

    /** The check as reported: its measured message, with the status that held long enough. */
    HealthCheck filter(HealthCheck measured) {
        State s = states.get(measured.name());
        if (s == null) {
            // Nothing reported yet to protect from a flap: the first run says what it measured. (Taking a new
            // check as OK would report every DEGRADED check OK for its first runs after each restart, so the
            // console would see a recovery and a new degradation at every start and every update hand-over.)
            states.put(measured.name(), new State(measured.status(), measured.status(), 0));
            return measured;
        }
        Status now = measured.status();
        State next;
        if (now == s.reported()) {
            next = new State(s.reported(), now, 0);
        } else if (now == s.candidate()) {
            next = s.count() + 1 >= runs ? new State(now, now, 0) : new State(s.reported(), now, s.count() + 1);
        } else {
            next = runs <= 1 ? new State(now, now, 0) : new State(s.reported(), now, 1);
        }
        states.put(measured.name(), next);
        if (next.reported() == now) {
            return measured;
        }
        String message = (measured.message() == null ? "" : measured.message() + "; ") + "reported " + next.reported()
                + " until this held for " + runs + " runs (" + next.count() + " so far)";
        return new HealthCheck(measured.name(), next.reported(), message, measured.observed());
    }

    /** Forgets checks that are no longer run (a service removed from the configuration). */
    void retain(java.util.Set<String> names) {
        states.keySet().retainAll(names);
    }
}
