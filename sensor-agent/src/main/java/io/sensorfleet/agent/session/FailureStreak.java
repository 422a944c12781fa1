package io.sensorfleet.agent.session;

/**
 * One loop's failures in a row, and how many of them loaded the console. The backoff after a
 * refused connection grows with every failure of the streak (and is capped at
 * {@link Backoff#REFUSED_CAP}); the backoff after a failure that loads the console (a timeout, a
 * cut handshake, 429, 5xx) grows only with those. The refusals of a console restart cost the
 * console nothing, so they must not make the first timeout on the freshly started console wait a
 * whole interval: in the 10,000-sensor storm the last sensors back had five refusals behind them,
 * one handshake cut by the busy new console, and then waited up to 30 s (docs/benchmarks.md).
 * <p>
 * Not thread-safe: each loop owns its streak.
 */
public final class FailureStreak {
    private int failures;
    private int loading;

    /** Counts a failure; {@code refused}: the connection was refused (nothing listened). */
    public void failed(boolean refused) {
        failures++;
        if (!refused) {
            loading++;
        }
    }

    /** A call succeeded: the streak is over. */
    public void succeeded() {
        failures = 0;
        loading = 0;
    }

    /** Failures in a row, of any kind (for logs and the status). */
    public int failures() {
        return failures;
    }

    /**
     * The count the backoff after the last failure grows with: every failure of the streak after a
     * refusal, only the failures that loaded the console otherwise (at least one).
     */
    public int backoffCount(boolean refused) {
        return refused ? failures : Math.max(1, loading);
    }
}
