package io.sensorfleet.console.backups;

import io.sensorfleet.console.work.WorkChannel;
import io.sensorfleet.console.work.WorkFeed;
import io.sensorfleet.console.work.WorkKind;
import io.sensorfleet.console.work.WorkWaiters;
import io.sensorfleet.protocol.v1.backup.BackupTask;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Backup and restore tasks as work for sensors. Which sensors have a task pending is kept in
 * memory, re-read when a change is announced (a collection started, a transfer finished and freed a
 * slot); handing a task out is one conditional UPDATE for all waiting sensors, within the
 * parallel-transfer limit.
 */
@ApplicationScoped
public class BackupTaskWaiters implements WorkFeed {
    private final BackupTasks tasks;
    private final WorkChannel channel;
    private volatile Set<UUID> pending = Set.of();

    @Inject
    BackupTaskWaiters(BackupTasks tasks, WorkChannel channel) {
        this.tasks = tasks;
        this.channel = channel;
    }

    @Override
    public WorkKind kind() {
        return WorkKind.BACKUP;
    }

    @Override
    public String channel() {
        return BackupTasks.CHANNEL;
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
    public Map<UUID, BackupTask> take(Map<UUID, Long> sensors) {
        Map<UUID, BackupTask> out = new HashMap<>();
        tasks.claim(sensors.keySet()).forEach(c -> out.put(c.sensorId(), c.task()));
        return out;
    }

    /**
     * The backup-only long-poll of agents before the work channel; kept for one version. Called on a
     * worker thread; see {@link WorkWaiters#poll}.
     */
    public Runnable poll(UUID sensor, Duration wait, Consumer<Optional<BackupTask>> reply) {
        return channel.poll(sensor, WorkWaiters.Lane.BACKUP, -1, wait, work -> reply.accept(work.map(w -> w.backup())));
    }
}
