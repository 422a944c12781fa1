package io.sensorfleet.agent;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The shape every background loop of the agent shares: run a step, pause as long as it says,
 * until stopped; a step that throws is logged and followed by the error pause instead of ending
 * the daemon (the next step may succeed).
 */
public final class PollLoop {
    private PollLoop() {
    }

    /**
     * @param step       one step; returns how long to pause before the next (zero: at once)
     * @param afterError pause after a step threw
     */
    public static void repeat(CountDownLatch stopped, AgentLog log, String name, Supplier<Duration> step,
                              Supplier<Duration> afterError) {
        try {
            while (stopped.getCount() > 0) {
                Duration pause;
                try {
                    pause = step.get();
                } catch (RuntimeException e) {
                    log.warn(name + ": unexpected failure: " + e);
                    pause = afterError.get();
                }
                if (!pause.isZero() && stopped.await(pause.toMillis(), TimeUnit.MILLISECONDS)) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
