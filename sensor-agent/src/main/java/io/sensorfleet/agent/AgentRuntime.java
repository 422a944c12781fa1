package io.sensorfleet.agent;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts, stops and joins the daemon's loops the same way: each on its own named thread, each
 * stopped through its own stop (which also ends a wait or a long-poll in progress), then the
 * resources they share (the console session) closed, then every thread joined within one grace.
 */
public final class AgentRuntime {

    /** One loop: what its thread runs, and how to make it return. */
    public record Loop(String name, Runnable run, Runnable stop) {
    }

    private final List<Loop> loops;
    private final List<AutoCloseable> shared;
    private final AgentLog log;
    private final List<Thread> threads = new ArrayList<>();

    public AgentRuntime(List<Loop> loops, List<AutoCloseable> shared, AgentLog log) {
        this.loops = List.copyOf(loops);
        this.shared = List.copyOf(shared);
        this.log = log;
    }

    public synchronized void start() {
        if (!threads.isEmpty()) {
            throw new IllegalStateException("already started");
        }
        for (Loop loop : loops) {
            threads.add(Thread.ofPlatform().name(loop.name()).daemon().start(loop.run()));
        }
    }

    /** Asks every loop to stop and closes what they share; returns at once. */
    public void stop() {
        for (Loop loop : loops) {
            try {
                loop.stop().run();
            } catch (RuntimeException e) {
                log.warn(loop.name() + ": cannot stop: " + e);
            }
        }
        for (AutoCloseable c : shared) {
            try {
                c.close();
            } catch (Exception e) {
                log.warn("cannot close " + c + ": " + e);
            }
        }
    }

    /**
     * Waits for every loop's thread to end, at most {@code grace} in all.
     *
     * @return the names of the loops still running after it
     */
    public List<String> join(Duration grace) throws InterruptedException {
        Instant deadline = Instant.now().plus(grace);
        List<String> running = new ArrayList<>();
        List<Thread> started;
        synchronized (this) {
            started = List.copyOf(threads);
        }
        for (Thread t : started) {
            Duration left = Duration.between(Instant.now(), deadline);
            if (!left.isNegative() && !left.isZero()) {
                t.join(left);
            }
            if (t.isAlive()) {
                running.add(t.getName());
            }
        }
        return running;
    }

    /** Waits until every loop's thread ended by itself (or was stopped). */
    public void awaitTermination() throws InterruptedException {
        List<Thread> started;
        synchronized (this) {
            started = List.copyOf(threads);
        }
        for (Thread t : started) {
            t.join();
        }
    }
}
