package io.sensorfleet.console.forwarding;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Sends what the outbox holds, on every instance. One loop claims due messages (as many as there
 * are free delivery slots), each request runs on its own virtual thread (one message, or several
 * for a webhook action that batches: {@link DeliveryGroups}), and results are written back in
 * batches. A failed message is retried with exponential backoff (doubling from
 * {@code retry-base} up to {@code retry-cap}, longer when the receiver asks with Retry-After) and
 * parked after {@code max-attempts}. At-least-once: a message whose result was not recorded (the
 * instance died) is sent again after its lease.
 * <p>
 * A result that cannot be written (PostgreSQL down or failing over) is kept and written first when
 * the database answers again; until {@link #SETTLE} after that, no instance's worker claims, so
 * the leases that ran out during the outage are not taken by another instance before the one that
 * sent those messages has recorded them: an outage alone sends nothing twice.
 */
@ApplicationScoped
public class DeliveryWorker {
    private static final Logger LOG = Logger.getLogger(DeliveryWorker.class);
    /** Lower bound of one loop turn, so a stream of completions does not turn into a stream of queries. */
    private static final Duration MIN_TURN = Duration.ofMillis(50);
    /**
     * How long claims wait once the database answers again after a failed turn. Every instance sees
     * the same outage; each writes the results it kept within a poll interval or two of the
     * database's return (the pool opens new connections first), well inside this.
     */
    static final Duration SETTLE = Duration.ofSeconds(5);

    private final String instance = ManagementFactory.getRuntimeMXBean().getName();
    private final ExecutorService deliveries = Executors.newVirtualThreadPerTaskExecutor();
    private final ConcurrentLinkedQueue<Outbox.Result> results = new ConcurrentLinkedQueue<>();
    private final Object wake = new Object();
    private Semaphore slots;
    private volatile boolean running;
    private Thread loop;
    /** The worker loop's own state: a turn failed, and when claims may start again. */
    private boolean unreachable;
    private long claimsAfterNanos = System.nanoTime();

    @Inject
    Outbox outbox;
    @Inject
    Senders senders;
    @Inject
    ForwardingConfig config;
    @Inject
    ForwardingMetrics metrics;
    @Inject
    Clock clock;

    void start(@Observes StartupEvent ev) {
        slots = new Semaphore(config.maxInFlight());
        metrics.inFlight(() -> config.maxInFlight() - slots.availablePermits());
        if (config.workerEnabled()) {
            running = true;
            loop = Thread.ofPlatform().daemon().name("forwarding-worker").start(this::run);
        }
    }

    void stop(@Observes ShutdownEvent ev) {
        running = false;
        if (loop != null) {
            synchronized (wake) {
                wake.notifyAll();
            }
            try {
                loop.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        deliveries.shutdown();
        try {
            deliveries.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // What finished is recorded; what did not is sent again after its lease by whichever instance runs then.
        try {
            writeResults();
        } catch (RuntimeException e) {
            LOG.warnf("cannot record %d delivery results at shutdown; they are sent again after their lease: %s",
                    results.size(), e.getMessage());
        }
    }

    /**
     * Sends every message due now and waits for the results; returns how many were attempted.
     * For tests and for instances that run no worker loop.
     */
    public int deliverDue() {
        int total = 0;
        while (true) {
            List<Outbox.Claimed> batch = outbox.claim(config.batchSize(), clock.instant(), clock.instant().plus(config.lease()));
            if (batch.isEmpty()) {
                return total;
            }
            List<Future<List<Outbox.Result>>> running = new ArrayList<>();
            for (List<Outbox.Claimed> request : DeliveryGroups.split(batch)) {
                running.add(deliveries.submit(() -> deliver(request)));
            }
            List<Outbox.Result> done = new ArrayList<>();
            for (Future<List<Outbox.Result>> f : running) {
                try {
                    done.addAll(f.get());
                } catch (Exception e) {
                    throw new IllegalStateException("delivery failed unexpectedly", e);
                }
            }
            outbox.complete(done, instance);
            total += done.size();
        }
    }

    private void run() {
        while (running) {
            long turnStart = System.nanoTime();
            int claimed = 0;
            boolean failed = false;
            try {
                // Results first: after an outage they are what keeps a message from being sent twice.
                writeResults();
                if (unreachable) {
                    outbox.ping();
                    unreachable = false;
                    claimsAfterNanos = System.nanoTime() + SETTLE.toNanos();
                }
                if (System.nanoTime() - claimsAfterNanos >= 0) {
                    claimed = claimAndDispatch();
                    writeResults();
                }
            } catch (RuntimeException e) {
                unreachable = true;
                failed = true;
                LOG.warnf("forwarding worker: %s; trying again in %s", e.getMessage(), config.pollInterval());
            }
            try {
                long elapsed = System.nanoTime() - turnStart;
                long minimum = MIN_TURN.toNanos() - elapsed;
                if (minimum > 0) {
                    TimeUnit.NANOSECONDS.sleep(minimum);
                }
                if (claimed == 0 || slots.availablePermits() == 0) {
                    synchronized (wake) {
                        if (running && (results.isEmpty() || failed)) {
                            wake.wait(config.pollInterval().toMillis());
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private int claimAndDispatch() {
        int free = slots.availablePermits();
        if (free == 0) {
            return 0;
        }
        Instant now = clock.instant();
        List<Outbox.Claimed> batch = outbox.claim(Math.min(free, config.batchSize()), now, now.plus(config.lease()));
        for (List<Outbox.Claimed> request : DeliveryGroups.split(batch)) {
            // Slots count messages, not requests: they bound what this instance holds, whatever the batching.
            slots.acquireUninterruptibly(request.size());
            deliveries.submit(() -> {
                try {
                    results.addAll(deliver(request));
                } finally {
                    slots.release(request.size());
                    synchronized (wake) {
                        wake.notifyAll();
                    }
                }
            });
        }
        return batch.size();
    }

    /** Writes the results gathered so far; results that cannot be written are kept for the next turn. */
    private void writeResults() {
        List<Outbox.Result> done = new ArrayList<>();
        Outbox.Result r;
        while ((r = results.poll()) != null) {
            done.add(r);
        }
        try {
            outbox.complete(done, instance);
        } catch (RuntimeException e) {
            // Kept: written when the database answers again. A result whose claim another instance took
            // meanwhile is ignored by the conditional write (that instance's result counts).
            results.addAll(done);
            throw new IllegalStateException("cannot record " + done.size() + " delivery results: " + e.getMessage(), e);
        }
    }

    /** Sends one request (one message, or a batch for one webhook action); every message gets its outcome. */
    private List<Outbox.Result> deliver(List<Outbox.Claimed> request) {
        Instant at = clock.instant();
        long start = System.nanoTime();
        Outbox.Claimed first = request.getFirst();
        DeliveryResult r = DeliveryGroups.batched(first)
                ? senders.sendBatch(first.actionId(), first.settings(), request)
                : senders.send(first.kind(), first.actionId(), first.settings(), first.notification(), first.site());
        int ms = (int) Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        List<Outbox.Result> out = new ArrayList<>(request.size());
        for (Outbox.Claimed c : request) {
            out.add(result(c, r, at, ms));
        }
        return out;
    }

    private Outbox.Result result(Outbox.Claimed c, DeliveryResult r, Instant at, int ms) {
        int attempts = c.attempts() + 1;
        boolean parked = !r.delivered() && attempts >= config.maxAttempts();
        Instant next = null;
        if (!r.delivered() && !parked) {
            Duration delay = backoff(attempts, config.retryBase(), config.retryCap());
            if (r.retryAfter() != null && r.retryAfter().compareTo(delay) > 0) {
                delay = r.retryAfter();
            }
            // Counted from the end of the attempt: a receiver (or CRL server) that takes seconds to fail is
            // not tried again at once.
            next = clock.instant().plus(delay);
        }
        if (parked) {
            LOG.warnf("parked message %d (notification %s, action %s) after %d attempts: %s", c.id(),
                    c.notification().id(), c.actionId(), attempts, r.outcome());
        }
        Outbox.Result result = new Outbox.Result(c.id(), c.claim(), c.ruleId(), c.actionId(), c.kind(), r.delivered(),
                parked, r.outcome(), at, next, ms);
        metrics.attempt(result);
        return result;
    }

    /** Delay after the n-th failed attempt: base, 2·base, 4·base… up to the cap. */
    static Duration backoff(int failedAttempts, Duration base, Duration cap) {
        int doublings = Math.min(Math.max(failedAttempts - 1, 0), 30);
        long millis;
        try {
            millis = Math.multiplyExact(base.toMillis(), 1L << doublings);
        } catch (ArithmeticException e) {
            millis = Long.MAX_VALUE;
        }
        return Duration.ofMillis(Math.min(millis, cap.toMillis()));
    }

    @Scheduled(every = "15s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refreshBacklog() {
        metrics.backlog(outbox.backlog());
    }

    @Scheduled(every = "1h", delay = 5, delayUnit = TimeUnit.MINUTES,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purge() {
        Instant before = clock.instant().minus(config.retention());
        int removed;
        do {
            removed = outbox.purgeDelivered(before, 10_000);
        } while (removed == 10_000);
    }
}
