package io.sensorfleet.console.updates;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sensorfleet.console.common.PgListener;
import io.sensorfleet.console.common.TaskWaiters;
import io.sensorfleet.protocol.v1.UpdateTask;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/** The update long-poll: the backups' long-poll mechanism on the updates' NOTIFY channel and claims. */
@ApplicationScoped
public class UpdateTaskWaiters {
    private static final Duration FALLBACK_CHECK = Duration.ofSeconds(3);

    @Inject
    AgroalDataSource dataSource;
    @Inject
    UpdateTasks tasks;
    @Inject
    Vertx vertx;

    private TaskWaiters<UpdateTask> waiters;
    private PgListener listener;

    void start(@Observes StartupEvent ev) {
        waiters();
        listener = new PgListener(dataSource, UpdateTasks.CHANNEL, FALLBACK_CHECK, () -> waiters().changed());
        listener.start();
    }

    void stop(@Observes ShutdownEvent ev) {
        if (listener != null) {
            listener.stop();
        }
    }

    private synchronized TaskWaiters<UpdateTask> waiters() {
        if (waiters == null) {
            waiters = new TaskWaiters<>(vertx, tasks::pendingSensors, tasks::claim);
        }
        return waiters;
    }

    /** See {@link TaskWaiters#poll}. */
    public Runnable poll(UUID sensor, Duration wait, Consumer<Optional<UpdateTask>> reply) {
        return waiters().poll(sensor, wait, reply);
    }
}
