package io.sensorfleet.console.backups;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sensorfleet.console.common.PgListener;
import io.sensorfleet.console.common.TaskWaiters;
import io.sensorfleet.protocol.v1.BackupTask;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
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
    private static final Duration FALLBACK_CHECK = Duration.ofSeconds(5);

    @Inject
    AgroalDataSource dataSource;
    @Inject
    BackupTasks tasks;
    @Inject
    Vertx vertx;

    private TaskWaiters<BackupTask> waiters;
    private PgListener listener;

    void start(@Observes StartupEvent ev) {
        waiters();
        listener = new PgListener(dataSource, BackupTasks.CHANNEL, FALLBACK_CHECK, this::changed);
        listener.start();
    }

    void stop(@Observes ShutdownEvent ev) {
        if (listener != null) {
            listener.stop();
        }
    }

    private synchronized TaskWaiters<BackupTask> waiters() {
        if (waiters == null) {
            waiters = new TaskWaiters<>(vertx, tasks::pendingSensors, sensors -> tasks.claim(sensors).stream()
                    .map(c -> new TaskWaiters.Claim<>(c.sensorId(), c.task())).toList());
        }
        return waiters;
    }

    /**
     * Called on a worker thread. Answers at once with a task when the sensor has one it may start,
     * else when one arrives or the wait ends (empty).
     *
     * @return a handle that withdraws the poll (e.g. when its connection closes)
     */
    public Runnable poll(UUID sensor, Duration wait, Consumer<Optional<BackupTask>> reply) {
        return waiters().poll(sensor, wait, reply);
    }

    public int waitingCount() {
        return waiters().waitingCount();
    }

    /** Re-reads which sensors have work pending and hands it to those waiting here. */
    void changed() {
        waiters().changed();
    }
}
