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
    /** The longest pause after a long-poll that came back empty before its wait (see {@link #afterEmptyPoll}). */
    static final Duration EARLY_EMPTY_PAUSE = Duration.ofSeconds(5);

    private PollLoop() {
    }

    /**
     * The pause after a long-poll that came back with nothing: none when the console held it for
     * (about) the wait it was asked, else the rest of that wait up to five seconds.
     * A console or a proxy that does not hold requests would otherwise have the sensor poll in a
     * tight loop (measured: 7 % of a core); a console that has work answers with it at once anyway.
     *
     * @param asked   the wait the poll asked for
     * @param started {@link System#nanoTime()} when the poll was sent
     */
    public static Duration afterEmptyPoll(Duration asked, long started) {
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        Duration rest = asked.minus(took).minus(Duration.ofMillis(500));
        if (rest.isNegative() || rest.isZero()) {
            return Duration.ZERO;
        }
        return rest.compareTo(EARLY_EMPTY_PAUSE) < 0 ? rest : EARLY_EMPTY_PAUSE;
    }

    /**
     * @param step       one step; returns how long to pause before the next (zero: at once)
     * @param afterError pause after a step threw
     */
    public static void repeat(CountDownLatch stopped, AgentLog log, String name, Supplier<Duration> step,
                              Supplier<Duration> afterError) {
        repeat(stopped, null, log, name, step, afterError);
    }

    /**
     * As {@link #repeat(CountDownLatch, AgentLog, String, Supplier, Supplier)}, but a pause also ends
     * when {@code early} is woken (a wake during a step ends the pause after it at once). Whoever
     * counts {@code stopped} down must wake {@code early} too.
     */
    public static void repeat(CountDownLatch stopped, Wakeup early, AgentLog log, String name,
                              Supplier<Duration> step, Supplier<Duration> afterError) {
        try {
            while (stopped.getCount() > 0) {
                if (early != null) {
                    early.clear();
                }
                Duration pause;
                try {
                    pause = step.get();
                } catch (RuntimeException e) {
                    log.warn(name + ": unexpected failure: " + e);
                    pause = afterError.get();
                }
                if (pause.isZero()) {
                    continue;
                }
                if (early == null ? stopped.await(pause.toMillis(), TimeUnit.MILLISECONDS) : awaitEither(early, pause, stopped)) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** True when stopped during the pause. */
    private static boolean awaitEither(Wakeup early, Duration pause, CountDownLatch stopped) throws InterruptedException {
        early.await(pause);
        return stopped.getCount() == 0;
    }
}
