package io.sensorfleet.console.work;

import io.sensorfleet.protocol.v1.work.Work;
import io.vertx.core.Vertx;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The sensors waiting on this console instance for work, keyed by sensor, and the feeds that
 * supply it. A poll answers at once when a feed has something for the sensor, else it waits until
 * a feed's change hands it something or the wait ends. A poll costs no query unless the sensor
 * has something pending; a change costs one {@link WorkFeed#take} for all sensors it concerns, and
 * so do the polls that arrive with something pending while an earlier batch is being taken: after a
 * push to the whole fleet, sensors polling again behind must not each hold a database connection
 * for their own {@code take}. Not tied to the framework: the feeds and Vert.x (for the timers) come
 * through the constructor.
 */
public final class WorkWaiters {
    private static final Logger LOG = Logger.getLogger(WorkWaiters.class);

    /**
     * The long-poll a sensor waits on: the one work channel, or one of the per-feature long-polls of
     * agents before it (one sensor of those keeps three at once, so each is a waiter of its own).
     */
    public enum Lane {
        WORK(EnumSet.allOf(WorkKind.class)),
        SETTINGS(EnumSet.of(WorkKind.SETTINGS)),
        BACKUP(EnumSet.of(WorkKind.BACKUP)),
        UPDATE(EnumSet.of(WorkKind.UPDATE));

        private final Set<WorkKind> kinds;

        Lane(Set<WorkKind> kinds) {
            this.kinds = kinds;
        }
    }

    private record Key(UUID sensor, Lane lane) {
    }

    /** Compared by identity: only the party that removes a waiter from the map answers it. */
    private static final class Waiter {
        final long settingsKnown;
        final Consumer<Optional<Work>> reply;
        /** Set just after the waiter is registered; -1 until then (cancelling -1 is a no-op). */
        volatile long timerId = -1;

        Waiter(long settingsKnown, Consumer<Optional<Work>> reply) {
            this.settingsKnown = settingsKnown;
            this.reply = reply;
        }
    }

    private static final Work NOTHING = new Work(null, null, null);

    private final Map<Key, Waiter> waiting = new ConcurrentHashMap<>();
    /** Polls registered with something pending, for the next batch (see {@link #drain}). */
    private final Queue<Key> behind = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final Vertx vertx;
    private final Map<WorkKind, WorkFeed> feeds = new EnumMap<>(WorkKind.class);

    public WorkWaiters(Vertx vertx, List<WorkFeed> feeds) {
        this.vertx = vertx;
        for (WorkFeed f : feeds) {
            if (this.feeds.put(f.kind(), f) != null) {
                throw new IllegalArgumentException("two feeds of " + f.kind());
            }
        }
    }

    /**
     * Called on a worker thread. Answers at once with what the sensor gets now, else when a change
     * brings it something, else empty when the wait ends. A newer poll of the same sensor on the
     * same lane ends this one (empty): the sensor gave up on it.
     *
     * @param settingsKnown the settings revision the sensor holds, -1 for none
     * @return a handle that withdraws the poll (e.g. when its connection closes)
     */
    public Runnable poll(UUID sensor, Lane lane, long settingsKnown, Duration wait, Consumer<Optional<Work>> reply) {
        Key key = new Key(sensor, lane);
        Waiter mine = new Waiter(settingsKnown, reply);
        Waiter previous = waiting.put(key, mine);
        if (previous != null) {
            vertx.cancelTimer(previous.timerId);
            previous.reply.accept(Optional.empty());
        }
        // The timer starts after the waiter is registered: a short wait whose timer fired before
        // registering would leave the request held until its connection closed.
        mine.timerId = vertx.setTimer(Math.max(1, wait.toMillis()), t -> {
            if (waiting.remove(key, mine)) {
                mine.reply.accept(Optional.empty());
            }
        });
        // Registered first, then looked at: work announced meanwhile is found either here or by the change.
        boolean pending;
        try {
            pending = anyPending(key, settingsKnown);
        } catch (RuntimeException e) {
            // The request fails as a whole: no waiter may answer it later.
            if (waiting.remove(key, mine)) {
                vertx.cancelTimer(mine.timerId);
            }
            throw e;
        }
        if (pending) {
            behind.add(key);
            drain();
        }
        // A task claimed for a sensor whose poll ended meanwhile is offered again after the feature's offer timeout.
        return () -> {
            if (waiting.remove(key, mine)) {
                vertx.cancelTimer(mine.timerId);
            }
        };
    }

    public int waitingCount() {
        return waiting.size();
    }

    /** After a change announced by {@code feed}: re-reads it and hands out what its waiting sensors get now. */
    public void changed(WorkFeed feed) {
        long start = System.nanoTime();
        feed.refresh();
        long read = System.nanoTime();
        int[] counts = handOut(waiting.keySet(), List.of(feed));
        if (counts[0] > 0) {
            LOG.debugf("%s: %d of %d waiting sensors answered in %d ms (read %d ms, taken and answered %d ms)",
                    feed.kind(), counts[1], counts[0], (System.nanoTime() - start) / 1_000_000,
                    (read - start) / 1_000_000, (System.nanoTime() - read) / 1_000_000);
        }
    }

    /**
     * Hands out what the polls in {@link #behind} get, in one batch per feed. Whoever finds no batch
     * running takes every poll queued so far, and again until none is left; a poll queued while it
     * runs returns at once and is answered by the next round.
     */
    private void drain() {
        while (!behind.isEmpty() && draining.compareAndSet(false, true)) {
            Set<Key> batch = new LinkedHashSet<>();
            try {
                for (Key k = behind.poll(); k != null; k = behind.poll()) {
                    batch.add(k);
                }
                handOut(batch, feeds.values());
            } catch (RuntimeException e) {
                // Not thrown to the caller, whose own poll may have been answered in an earlier round:
                // the batch's polls keep waiting and end empty when their wait ends, then poll again.
                LOG.warnf("handing out work to %d polling sensors failed, they wait for their next poll: %s",
                        batch.size(), e.getMessage());
            } finally {
                draining.set(false);
            }
        }
    }

    /**
     * One {@link WorkFeed#take} per feed for the polls of {@code keys} that feed has something for;
     * each poll still waiting gets everything taken for it in one answer.
     *
     * @return the polls considered and the polls answered
     */
    private int[] handOut(Collection<Key> keys, Collection<WorkFeed> from) {
        Map<Key, Map<WorkKind, Object>> items = new LinkedHashMap<>();
        int considered = 0;
        for (WorkFeed feed : from) {
            Map<UUID, Long> candidates = new LinkedHashMap<>();
            Map<UUID, List<Key>> bySensor = new HashMap<>();
            for (Key k : keys) {
                Waiter w = waiting.get(k);
                if (w != null && k.lane().kinds.contains(feed.kind()) && feed.pending(k.sensor(), w.settingsKnown)) {
                    candidates.putIfAbsent(k.sensor(), w.settingsKnown);
                    bySensor.computeIfAbsent(k.sensor(), id -> new ArrayList<>()).add(k);
                }
            }
            considered += candidates.size();
            if (!candidates.isEmpty()) {
                feed.take(candidates).forEach((sensor, item) -> {
                    for (Key k : bySensor.getOrDefault(sensor, List.of())) {
                        Waiter w = waiting.get(k);
                        if (w != null && feed.stillNews(item, w.settingsKnown)) {
                            items.computeIfAbsent(k, x -> new EnumMap<>(WorkKind.class)).put(feed.kind(), item);
                            return;
                        }
                    }
                });
            }
        }
        return new int[]{considered, answer(items)};
    }

    private int answer(Map<Key, Map<WorkKind, Object>> items) {
        // Polls handed the same single item get the same Work, so its answer is encoded once.
        Map<Object, Work> single = new IdentityHashMap<>();
        int answered = 0;
        for (Map.Entry<Key, Map<WorkKind, Object>> e : items.entrySet()) {
            // The poll looked at may have been replaced by a newer one while the items were taken
            // (a sensor that already got this settings revision must not get it twice).
            Waiter w = waiting.get(e.getKey());
            if (w == null) {
                continue;
            }
            Work work = NOTHING;
            for (Map.Entry<WorkKind, Object> item : e.getValue().entrySet()) {
                if (feeds.get(item.getKey()).stillNews(item.getValue(), w.settingsKnown)) {
                    work = e.getValue().size() == 1
                            ? single.computeIfAbsent(item.getValue(), i -> item.getKey().add(NOTHING, i))
                            : item.getKey().add(work, item.getValue());
                }
            }
            if (work != NOTHING && waiting.remove(e.getKey(), w)) {
                vertx.cancelTimer(w.timerId);
                w.reply.accept(Optional.of(work));
                answered++;
            }
        }
        return answered;
    }

    private boolean anyPending(Key key, long settingsKnown) {
        for (WorkKind kind : key.lane().kinds) {
            WorkFeed feed = feeds.get(kind);
            if (feed != null && feed.pending(key.sensor(), settingsKnown)) {
                return true;
            }
        }
        return false;
    }
}
