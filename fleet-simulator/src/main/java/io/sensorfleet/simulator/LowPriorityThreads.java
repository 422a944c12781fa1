package io.sensorfleet.simulator;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Daemon platform threads at {@link Thread#MIN_PRIORITY}, named prefix + a number. The priority
 * reaches the operating system only when the JVM runs with {@code -XX:ThreadPriorityPolicy=1}
 * (the benchmarks start the simulator so); without it they are ordinary threads.
 */
final class LowPriorityThreads implements ThreadFactory {
    private final String prefix;
    private final AtomicInteger count = new AtomicInteger();

    LowPriorityThreads(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public Thread newThread(Runnable r) {
        Thread t = new Thread(r, prefix + count.incrementAndGet());
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        return t;
    }
}
