package io.sensorfleet.agent;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WakeupTest {

    @Test
    void aWaitWithoutAWakeLastsTheWholePause() throws InterruptedException {
        Wakeup wakeup = new Wakeup();
        long start = System.nanoTime();
        assertFalse(wakeup.await(Duration.ofMillis(50)));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(50));
    }

    @Test
    void aWakeBeforeTheWaitEndsItAtOnceAndIsUsedUp() throws InterruptedException {
        Wakeup wakeup = new Wakeup();
        wakeup.wake();
        assertTrue(wakeup.await(Duration.ofMinutes(10)));
        assertFalse(wakeup.await(Duration.ZERO), "one wake ends one wait");
    }

    @Test
    void aClearedWakeEndsNothing() throws InterruptedException {
        Wakeup wakeup = new Wakeup();
        wakeup.wake();
        wakeup.clear();
        assertFalse(wakeup.await(Duration.ZERO));
    }

    @Test
    void aWakeFromAnotherThreadEndsAWaitUnderWay() throws InterruptedException {
        Wakeup wakeup = new Wakeup();
        AtomicBoolean woken = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(1);
        Thread waiter = new Thread(() -> {
            try {
                woken.set(wakeup.await(Duration.ofMinutes(10)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            done.countDown();
        });
        waiter.start();
        wakeup.wake();
        assertTrue(done.await(10, TimeUnit.SECONDS), "the ten-minute wait ended");
        assertTrue(woken.get());
    }
}
