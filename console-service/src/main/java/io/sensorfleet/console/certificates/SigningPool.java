package io.sensorfleet.console.certificates;

import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.console.platform.ProblemType;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that check CSRs and sign certificates: as many as the machine has cores, since the
 * work is pure CPU (elliptic-curve arithmetic) and more threads only add switching; never the event
 * loop, which must keep answering heartbeats. The queue is bounded: a burst that fills it is
 * answered 429 with Retry-After instead of piling up work that would time out anyway.
 */
@ApplicationScoped
public class SigningPool {
    /** Queued signings per thread beyond the running ones: a few milliseconds of work each. */
    private static final int QUEUED_PER_THREAD = 32;

    private final ThreadPoolExecutor executor;

    SigningPool() {
        this(Runtime.getRuntime().availableProcessors());
    }

    SigningPool(int threads) {
        AtomicInteger n = new AtomicInteger();
        executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(threads * QUEUED_PER_THREAD), r -> {
                    Thread t = new Thread(r, "ca-signing-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
    }

    /** Threads that sign at once. */
    public int threads() {
        return executor.getMaximumPoolSize();
    }

    /**
     * Runs {@code work} on a signing thread and waits for it; its exceptions are rethrown as they
     * were. 429 {@code busy} when the queue is full.
     */
    public <T> T call(Callable<T> work) {
        Future<T> f;
        try {
            f = executor.submit(work);
        } catch (RejectedExecutionException e) {
            throw new ProblemException(ProblemType.BUSY,
                    "the console is issuing many certificates at once; retry after 1 second")
                    .withRetryAfter(Duration.ofSeconds(1));
        }
        try {
            return f.get();
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a signature", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }
}
