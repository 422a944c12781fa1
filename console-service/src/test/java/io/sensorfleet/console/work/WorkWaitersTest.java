package io.sensorfleet.console.work;

import io.sensorfleet.protocol.v1.backup.BackupTask;
import io.sensorfleet.protocol.v1.settings.SettingsPush;
import io.sensorfleet.protocol.v1.work.Work;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The waiters mechanism with fake feeds: no database, no framework. */
class WorkWaitersTest {
    private final Vertx vertx = Vertx.vertx();

    /** Tasks handed out once, like the features' conditional updates. */
    static final class FakeTasks implements WorkFeed {
        final Map<UUID, BackupTask> queued = new ConcurrentHashMap<>();
        int takes;

        @Override
        public WorkKind kind() {
            return WorkKind.BACKUP;
        }

        @Override
        public String channel() {
            return "fake_backups";
        }

        @Override
        public void refresh() {
        }

        @Override
        public boolean pending(UUID sensor, long settingsKnown) {
            return queued.containsKey(sensor);
        }

        @Override
        public synchronized Map<UUID, ?> take(Map<UUID, Long> sensors) {
            takes++;
            Map<UUID, BackupTask> out = new HashMap<>();
            sensors.keySet().forEach(id -> {
                BackupTask t = queued.remove(id);
                if (t != null) {
                    out.put(id, t);
                }
            });
            return out;
        }
    }

    /** Settings at one desired revision for everyone. */
    static final class FakeSettings implements WorkFeed {
        volatile long desired = 1;

        @Override
        public WorkKind kind() {
            return WorkKind.SETTINGS;
        }

        @Override
        public String channel() {
            return "fake_settings";
        }

        @Override
        public void refresh() {
        }

        @Override
        public boolean pending(UUID sensor, long settingsKnown) {
            return settingsKnown != desired;
        }

        @Override
        public Map<UUID, ?> take(Map<UUID, Long> sensors) {
            Map<UUID, SettingsPush> out = new HashMap<>();
            sensors.forEach((id, known) -> {
                if (known != desired) {
                    out.put(id, new SettingsPush(desired, Map.of()));
                }
            });
            return out;
        }
    }

    private final FakeTasks tasks = new FakeTasks();
    private final FakeSettings settings = new FakeSettings();
    private final WorkWaiters waiters = new WorkWaiters(vertx, List.of(tasks, settings));

    @AfterEach
    void close() {
        vertx.close();
    }

    private static BackupTask task() {
        return new BackupTask(UUID.randomUUID(), BackupTask.Action.BACKUP, 0, null);
    }

    private CompletableFuture<Optional<Work>> poll(UUID sensor, WorkWaiters.Lane lane, long known, Duration wait) {
        CompletableFuture<Optional<Work>> f = new CompletableFuture<>();
        waiters.poll(sensor, lane, known, wait, f::complete);
        return f;
    }

    @Test
    void everythingPendingIsAnsweredAtOnceInOneWork() throws Exception {
        UUID sensor = UUID.randomUUID();
        BackupTask t = task();
        tasks.queued.put(sensor, t);
        Work w = poll(sensor, WorkWaiters.Lane.WORK, -1, Duration.ofSeconds(30)).get(1, TimeUnit.SECONDS).orElseThrow();
        assertEquals(1, w.settings().revision());
        assertEquals(t, w.backup());
        assertNull(w.update());
        assertEquals(0, waiters.waitingCount());
    }

    @Test
    void aChangeHandsATaskToTheWaitingSensorOnceAndOthersKeepWaiting() throws Exception {
        UUID one = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        var first = poll(one, WorkWaiters.Lane.WORK, 1, Duration.ofSeconds(30));
        var second = poll(other, WorkWaiters.Lane.WORK, 1, Duration.ofSeconds(30));
        assertEquals(2, waiters.waitingCount());
        BackupTask t = task();
        tasks.queued.put(one, t);
        waiters.changed(tasks);
        assertEquals(t, first.get(1, TimeUnit.SECONDS).orElseThrow().backup());
        assertFalse(second.isDone());
        waiters.changed(tasks);
        assertEquals(1, waiters.waitingCount(), "a handed-out task is not handed out again");
        settings.desired = 2;
        waiters.changed(settings);
        assertEquals(2, second.get(1, TimeUnit.SECONDS).orElseThrow().settings().revision());
    }

    @Test
    void aNewerPollOnTheSameLaneEndsTheOlderButTheOlderAgentsLanesWaitSideBySide() throws Exception {
        UUID sensor = UUID.randomUUID();
        var settingsLane = poll(sensor, WorkWaiters.Lane.SETTINGS, 1, Duration.ofSeconds(30));
        var backupLane = poll(sensor, WorkWaiters.Lane.BACKUP, -1, Duration.ofSeconds(30));
        assertFalse(settingsLane.isDone(), "a backup-only poll does not take settings, nor end the settings poll");
        var again = poll(sensor, WorkWaiters.Lane.BACKUP, -1, Duration.ofSeconds(30));
        assertEquals(Optional.empty(), backupLane.get(1, TimeUnit.SECONDS));
        tasks.queued.put(sensor, task());
        waiters.changed(tasks);
        Work w = again.get(1, TimeUnit.SECONDS).orElseThrow();
        assertNull(w.settings(), "the backup lane carries only backups");
        assertTrue(w.backup() != null);
        assertFalse(settingsLane.isDone());
    }

    @Test
    void theWaitEndsEmptyAndAWithdrawnPollIsForgotten() throws Exception {
        UUID sensor = UUID.randomUUID();
        assertEquals(Optional.empty(), poll(sensor, WorkWaiters.Lane.WORK, 1, Duration.ofMillis(50)).get(2, TimeUnit.SECONDS));
        Runnable withdraw = waiters.poll(UUID.randomUUID(), WorkWaiters.Lane.WORK, 1, Duration.ofSeconds(30), w -> { });
        assertEquals(1, waiters.waitingCount());
        withdraw.run();
        assertEquals(0, waiters.waitingCount());
        assertEquals(Set.of(), Set.copyOf(tasks.queued.keySet()));
    }

    /** A Vert.x whose timers fire as soon as they are set: a worker thread descheduled right after setting one. */
    @SuppressWarnings("unchecked")
    private static Vertx timersFiringAtOnce() {
        return (Vertx) Proxy.newProxyInstance(Vertx.class.getClassLoader(), new Class<?>[]{Vertx.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "setTimer" -> {
                        ((Handler<Long>) args[1]).handle(1L);
                        yield 1L;
                    }
                    case "cancelTimer" -> false;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void aWaitWhoseTimerFiresBeforeThePollIsRegisteredStillEndsIt() throws Exception {
        WorkWaiters quick = new WorkWaiters(timersFiringAtOnce(), List.of(tasks, settings));
        CompletableFuture<Optional<Work>> f = new CompletableFuture<>();
        quick.poll(UUID.randomUUID(), WorkWaiters.Lane.WORK, 1, Duration.ZERO, f::complete);
        assertEquals(Optional.empty(), f.get(1, TimeUnit.SECONDS), "the request would be held until its connection closed");
        assertEquals(0, quick.waitingCount());
    }
}
