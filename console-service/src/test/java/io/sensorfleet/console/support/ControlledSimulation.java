package io.sensorfleet.console.support;

import io.sensorfleet.simulator.FleetSimulator;
import io.sensorfleet.simulator.SensorBehaviour;
import io.sensorfleet.simulator.SimulationReport;
import io.sensorfleet.simulator.SimulatorOptions;

import java.io.PipedReader;
import java.io.PipedWriter;
import java.io.PrintWriter;
import java.time.Duration;

/**
 * The fleet simulator in this JVM, driven through phases by the test (as bench/run.sh does through
 * a FIFO): {@code phase <name>} starts a phase whose failures and reporting sensors are counted apart.
 */
public final class ControlledSimulation implements AutoCloseable {
    private final FleetSimulator simulator;
    private final SimulatorOutput output = new SimulatorOutput();
    private final PipedWriter control = new PipedWriter();
    private volatile SimulationReport report;
    private final Thread thread;

    public ControlledSimulation(SimulatorOptions options) throws Exception {
        simulator = new FleetSimulator(options, SensorBehaviour.HEALTHY, new PrintWriter(output), new PipedReader(control));
        thread = Thread.ofPlatform().name("simulation").start(() -> {
            try {
                report = simulator.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Waits until every sensor reported in the phase; false when they did not within the limit. */
    public boolean awaitAllReported(String phase, Duration limit) throws InterruptedException {
        return output.await("event all-reported phase=" + phase, limit);
    }

    public void phase(String name) throws Exception {
        command("phase " + name);
    }

    private void command(String line) throws Exception {
        control.write(line + "\n");
        control.flush();
    }

    /** Ends the run and returns its report. */
    public SimulationReport stop() throws Exception {
        command("stop");
        thread.join(Duration.ofSeconds(60));
        if (report == null) {
            throw new IllegalStateException("the simulation ended without a report: " + output);
        }
        return report;
    }

    public String output() {
        return output.toString();
    }

    @Override
    public void close() throws Exception {
        simulator.stop();
        thread.join(Duration.ofSeconds(30));
    }
}
