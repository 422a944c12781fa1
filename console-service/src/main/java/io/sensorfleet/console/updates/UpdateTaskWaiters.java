package io.sensorfleet.console.updates;

import io.sensorfleet.console.work.WorkChannel;
import io.sensorfleet.console.work.WorkFeed;
import io.sensorfleet.console.work.WorkKind;
import io.sensorfleet.console.work.WorkWaiters;
import io.sensorfleet.protocol.v1.update.UpdateTask;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/** Queued updates as work for sensors: the sensors with one are kept in memory, handed out by a conditional UPDATE. */
@ApplicationScoped
public class UpdateTaskWaiters implements WorkFeed {
    private final UpdateTasks tasks;
    private final WorkChannel channel;
    private volatile Set<UUID> pending = Set.of();

    @Inject
    UpdateTaskWaiters(UpdateTasks tasks, WorkChannel channel) {
        this.tasks = tasks;
        this.channel = channel;
    }

    @Override
    public WorkKind kind() {
        return WorkKind.UPDATE;
    }

    @Override
    public String channel() {
        return UpdateTasks.CHANNEL;
    }

    @Override
    public void refresh() {
        pending = Set.copyOf(tasks.pendingSensors());
    }

    @Override
    public boolean pending(UUID sensor, long settingsKnown) {
        return pending.contains(sensor);
    }

    @Override
    public Map<UUID, UpdateTask> take(Map<UUID, Long> sensors) {
        Map<UUID, UpdateTask> out = new HashMap<>();
        tasks.claim(sensors.keySet()).forEach(c -> out.put(c.sensorId(), c.task()));
        return out;
    }

    /** The update-only long-poll of agents before the work channel; kept for one version. See {@link WorkWaiters#poll}. */
    public Runnable poll(UUID sensor, Duration wait, Consumer<Optional<UpdateTask>> reply) {
        return channel.poll(sensor, WorkWaiters.Lane.UPDATE, -1, wait, work -> reply.accept(work.map(w -> w.update())));
    }
}
