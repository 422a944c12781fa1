package io.sensorfleet.simulator;

import java.util.List;

/**
 * Work simulated sensors do beside heartbeating, on connections of their own (as the agent's
 * settings and backup loops have their own): started with the fleet, stopped with it, and
 * reported in {@link SimulationReport#workloads()} under {@link #name()}.
 */
interface Workload {

    String name();

    /** Starts the work; first connections are spread over {@code ramp}, as the heartbeats' are. */
    void start(List<SimulatedIdentity> identities, Phases phases, java.time.Duration ramp);

    /** Stops every thread of the workload; returns once they ended or their request timeout passed. */
    void stop() throws InterruptedException;

    /** What happened, for the JSON report. */
    Object report();

    /** A one-line summary for the progress log. */
    String progress();

    /** Interrupts the workload's threads and waits for each, at most a request timeout and 5 s. */
    static void interruptAndJoin(List<Thread> threads, SimulatorOptions options) throws InterruptedException {
        threads.forEach(Thread::interrupt);
        for (Thread t : threads) {
            t.join(options.requestTimeout().plusSeconds(5));
        }
    }
}
