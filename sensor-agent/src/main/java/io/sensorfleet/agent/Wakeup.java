package io.sensorfleet.agent;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A pause that another loop may end early: one loop waits in {@link #await}, any thread calls
 * {@link #wake}. A wake while nobody waits ends the next wait at once, so none is lost between two
 * waits; {@link #clear} forgets one that the waiting loop no longer needs.
 */
public final class Wakeup {
    private boolean pending;

    /** Ends the current wait, or the next one if none is under way. */
    public synchronized void wake() {
        pending = true;
        notifyAll();
    }

    /** Forgets a wake that has not ended a wait yet. */
    public synchronized void clear() {
        pending = false;
    }

    /**
     * Waits up to {@code pause}.
     *
     * @return true when woken (the wake is used up), false when the whole pause passed
     */
    public synchronized boolean await(Duration pause) throws InterruptedException {
        long deadline = System.nanoTime() + pause.toNanos();
        while (!pending) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        pending = false;
        return true;
    }
}
