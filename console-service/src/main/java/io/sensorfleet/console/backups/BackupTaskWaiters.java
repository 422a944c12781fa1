package io.sensorfleet.console.backups;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sensorfleet.protocol.v1.BackupTask;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The backup long-poll, built like the settings one: each instance keeps the sensors waiting on it
 * and which sensors have a task pending. A change anywhere (a collection started, a transfer
 * finished and freed a slot) is announced with PostgreSQL NOTIFY; the instance then hands out, in
 * one statement, what its waiting sensors may start. A poll costs no query unless the sensor has
 * something pending; a missed notification is caught by a check every few seconds.
 */
@ApplicationScoped
public class BackupTaskWaiters {
    private static final Logger LOG = Logger.getLogger(BackupTaskWaiters.class);
    private static final Duration FALLBACK_CHECK = Duration.ofSeconds(5);

    private record Waiter(Consumer<Optional<BackupTask>> reply, long timerId) {
    }

    private final Map<UUID, Waiter> waiting = new ConcurrentHashMap<>();
    private volatile Set<UUID> pending = Set.of();
    private volatile boolean running;
    private Thread listener;

    @Inject
    AgroalDataSource dataSource;
    @Inject
    BackupTasks tasks;
    @Inject
    Vertx vertx;

    void start(@Observes StartupEvent ev) {
        running = true;
        listener = Thread.ofPlatform().daemon().name("backup-task-listener").start(this::listen);
    }

    void stop(@Observes ShutdownEvent ev) {
        running = false;
        if (listener != null) {
            listener.interrupt();
        }
    }

    /**
     * Called on a worker thread. Answers at once with a task when the sensor has one it may start,
     * else when one arrives or the wait ends (empty).
     *
     * @return a handle that withdraws the poll (e.g. when its connection closes)
     */
    public Runnable poll(UUID sensor, Duration wait, Consumer<Optional<BackupTask>> reply) {
        if (pending.contains(sensor)) {
            Optional<BackupTask> now = claimOne(sensor);
            if (now.isPresent()) {
                reply.accept(now);
                return () -> { };
            }
        }
        long timer = vertx.setTimer(Math.max(1, wait.toMillis()), t -> {
            Waiter w = waiting.get(sensor);
            if (w != null && w.timerId() == t && waiting.remove(sensor, w)) {
                w.reply().accept(Optional.empty());
            }
        });
        Waiter mine = new Waiter(reply, timer);
        Waiter previous = waiting.put(sensor, mine);
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

    private Optional<BackupTask> claimOne(UUID sensor) {
        return tasks.claim(List.of(sensor)).stream().map(BackupTasks.Claimed::task).findFirst();
    }

    /** Re-reads which sensors have work pending and hands it to those waiting here. */
    void changed() {
        pending = Set.copyOf(tasks.pendingSensors());
        List<UUID> candidates = new ArrayList<>();
        for (UUID id : waiting.keySet()) {
            if (pending.contains(id)) {
                candidates.add(id);
            }
        }
        if (candidates.isEmpty()) {
            return;
        }
        for (BackupTasks.Claimed c : tasks.claim(candidates)) {
            Waiter w = waiting.remove(c.sensorId());
            if (w != null) {
                vertx.cancelTimer(w.timerId());
                w.reply().accept(Optional.of(c.task()));
            }
            // A sensor that left meanwhile gets its task offered again after the offer timeout.
        }
    }

    private void listen() {
        while (running) {
            try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
                st.execute("listen " + BackupTasks.CHANNEL);
                PGConnection pg = c.unwrap(PGConnection.class);
                long nextCheck = 0;
                while (running) {
                    var notes = pg.getNotifications(500);
                    if ((notes != null && notes.length > 0) || System.nanoTime() > nextCheck) {
                        check();
                        nextCheck = System.nanoTime() + FALLBACK_CHECK.toNanos();
                    }
                }
            } catch (SQLException e) {
                if (running) {
                    LOG.warnf("backup task listener lost its connection, reconnecting: %s", e.getMessage());
                    pause();
                }
            }
        }
    }

    private void check() {
        try {
            changed();
        } catch (RuntimeException e) {
            LOG.warnf("cannot hand out backup tasks: %s", e.getMessage());
        }
    }

    private static void pause() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
