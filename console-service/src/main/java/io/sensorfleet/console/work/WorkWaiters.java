package io.sensorfleet.console.work;

import io.sensorfleet.protocol.v1.work.Work;
import io.vertx.core.Vertx;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The sensors waiting on this console instance for work, keyed by sensor, and the feeds that
 * supply it. A poll answers at once when a feed has something for the sensor, else it waits until
 * a feed's change hands it something or the wait ends. A poll costs no query unless the sensor
 * has something pending; a change costs one {@link WorkFeed#take} for all sensors it concerns.
 * Not tied to the framework: the feeds and Vert.x (for the timers) come through the constructor.
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
        Optional<Work> now = takeNow(sensor, lane, settingsKnown);
        if (now.isPresent()) {
            reply.accept(now);
            return () -> { };
        }
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
        // Work announced between the first look and registering would otherwise wait for the next check.
        Optional<Work> meanwhile = takeNow(sensor, lane, settingsKnown);
        if (meanwhile.isPresent() && waiting.remove(key, mine)) {
            vertx.cancelTimer(mine.timerId);
            reply.accept(meanwhile);
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
        Map<UUID, Long> candidates = new LinkedHashMap<>();
        Map<UUID, List<Key>> keys = new HashMap<>();
        for (Map.Entry<Key, Waiter> e : waiting.entrySet()) {
            Key k = e.getKey();
            if (k.lane().kinds.contains(feed.kind()) && feed.pending(k.sensor(), e.getValue().settingsKnown)) {
                candidates.putIfAbsent(k.sensor(), e.getValue().settingsKnown);
                keys.computeIfAbsent(k.sensor(), id -> new ArrayList<>()).add(k);
            }
        }
        if (candidates.isEmpty()) {
            return;
        }
        long read = System.nanoTime();
        Map<UUID, ?> taken = feed.take(candidates);
        long took = System.nanoTime();
        int[] answered = {0};
        // One Work per distinct item: sensors handed the same item get the same answer, encoded once.
        Map<Object, Work> works = new IdentityHashMap<>();
        taken.forEach((sensor, item) -> {
            Work work = works.computeIfAbsent(item, i -> feed.kind().add(NOTHING, i));
            for (Key k : keys.getOrDefault(sensor, List.of())) {
                // The poll looked at above may have been replaced by a newer one while the item was
                // taken (a sensor that already got this settings revision must not get it twice).
                Waiter w = waiting.get(k);
                if (w != null && feed.stillNews(item, w.settingsKnown) && waiting.remove(k, w)) {
                    vertx.cancelTimer(w.timerId);
                    w.reply.accept(Optional.of(work));
                    answered[0]++;
                    return;
                }
            }
        });
        LOG.debugf("%s: %d of %d waiting sensors answered in %d ms (read %d ms, taken %d ms, answered %d ms)",
                feed.kind(), answered[0], candidates.size(), (System.nanoTime() - start) / 1_000_000,
                (read - start) / 1_000_000, (took - read) / 1_000_000, (System.nanoTime() - took) / 1_000_000);
    }

    private Optional<Work> takeNow(UUID sensor, Lane lane, long settingsKnown) {
        Work work = NOTHING;
        for (WorkKind kind : lane.kinds) {
            WorkFeed feed = feeds.get(kind);
            if (feed != null && feed.pending(sensor, settingsKnown)) {
                Object item = feed.take(Map.of(sensor, settingsKnown)).get(sensor);
                if (item != null) {
                    work = kind.add(work, item);
                }
            }
        }
        return work == NOTHING ? Optional.empty() : Optional.of(work);
    }
}
