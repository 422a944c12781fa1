package io.sensorfleet.console.common;

import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A task long-poll (backups, updates): each instance keeps the sensors waiting on it and which
 * sensors have a task pending. On {@link #changed()} (a NOTIFY, or the periodic check) it hands
 * out, in one claim, what its waiting sensors may start. A poll costs no query unless the sensor
 * has something pending.
 *
 * @param <T> the task handed to a sensor
 */
public final class TaskWaiters<T> {
    /** A task claimed for a sensor. */
    public record Claim<T>(UUID sensorId, T task) {
    }

    private record Waiter<T>(Consumer<Optional<T>> reply, long timerId) {
    }

    private final Map<UUID, Waiter<T>> waiting = new ConcurrentHashMap<>();
    private final Vertx vertx;
    private final Supplier<Collection<UUID>> pendingSensors;
    private final Function<Collection<UUID>, List<Claim<T>>> claim;
    private volatile Set<UUID> pending = Set.of();

    /**
     * @param pendingSensors sensors with a task waiting to be handed out
     * @param claim          hands out pending tasks of these sensors (a conditional update: once across instances)
     */
    public TaskWaiters(Vertx vertx, Supplier<Collection<UUID>> pendingSensors,
                       Function<Collection<UUID>, List<Claim<T>>> claim) {
        this.vertx = vertx;
        this.pendingSensors = pendingSensors;
        this.claim = claim;
    }

    /**
     * Called on a worker thread. Answers at once with a task when the sensor has one it may start,
     * else when one arrives or the wait ends (empty).
     *
     * @return a handle that withdraws the poll (e.g. when its connection closes)
     */
    public Runnable poll(UUID sensor, Duration wait, Consumer<Optional<T>> reply) {
        if (pending.contains(sensor)) {
            Optional<T> now = claimOne(sensor);
            if (now.isPresent()) {
                reply.accept(now);
                return () -> { };
            }
        }
        long timer = vertx.setTimer(Math.max(1, wait.toMillis()), t -> {
            Waiter<T> w = waiting.get(sensor);
            if (w != null && w.timerId() == t && waiting.remove(sensor, w)) {
                w.reply().accept(Optional.empty());
            }
        });
        Waiter<T> mine = new Waiter<>(reply, timer);
        Waiter<T> previous = waiting.put(sensor, mine);
        if (previous != null) {
            vertx.cancelTimer(previous.timerId());
            previous.reply().accept(Optional.empty());
        }
        // Work announced between the first look and registering would otherwise wait for the next check.
        if (pending.contains(sensor)) {
            claimOne(sensor).ifPresent(task -> {
                if (waiting.remove(sensor, mine)) {
                    vertx.cancelTimer(timer);
                    reply.accept(Optional.of(task));
                }
            });
        }
        return () -> {
            if (waiting.remove(sensor, mine)) {
                vertx.cancelTimer(timer);
            }
        };
    }

    public int waitingCount() {
        return waiting.size();
    }

    private Optional<T> claimOne(UUID sensor) {
        return claim.apply(List.of(sensor)).stream().map(Claim::task).findFirst();
    }

    /** Re-reads which sensors have work pending and hands it to those waiting here. */
    public void changed() {
        pending = Set.copyOf(pendingSensors.get());
        List<UUID> candidates = new ArrayList<>();
        for (UUID id : waiting.keySet()) {
            if (pending.contains(id)) {
                candidates.add(id);
            }
        }
        if (candidates.isEmpty()) {
            return;
        }
        for (Claim<T> c : claim.apply(candidates)) {
            Waiter<T> w = waiting.remove(c.sensorId());
            if (w != null) {
                vertx.cancelTimer(w.timerId());
                w.reply().accept(Optional.of(c.task()));
            }
            // A sensor that left meanwhile gets its task offered again after the offer timeout.
        }
    }
}
