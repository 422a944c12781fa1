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
            if (failPending) {
                throw new IllegalStateException("no connection");
            }
            return settingsKnown != desired;
        }

        /** When set, take() waits here once (a slow query), after counting down {@code taking}. */
        volatile java.util.concurrent.CountDownLatch gate;
        final java.util.concurrent.CountDownLatch taking = new java.util.concurrent.CountDownLatch(1);

        @Override
        public boolean stillNews(Object item, long settingsKnown) {
            return ((SettingsPush) item).revision() != settingsKnown;
        }

        final java.util.concurrent.atomic.AtomicInteger takes = new java.util.concurrent.atomic.AtomicInteger();
        /** When set, the next take() or pending() fails as a lost database connection would. */
        volatile boolean failTake;
        volatile boolean failPending;

        @Override
        public Map<UUID, ?> take(Map<UUID, Long> sensors) {
            takes.incrementAndGet();
            if (failTake) {
                failTake = false;
                throw new IllegalStateException("no connection");
            }
            java.util.concurrent.CountDownLatch g = gate;
            if (g != null) {
                gate = null;
                taking.countDown();
                try {
                    g.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
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
    void aSensorThatGotTheRevisionWhileItWasTakenIsNotSentItTwice() throws Exception {
        UUID sensor = UUID.randomUUID();
        var first = poll(sensor, WorkWaiters.Lane.SETTINGS, 1, Duration.ofSeconds(30));
        settings.desired = 2;
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        settings.gate = release;
        CompletableFuture<Void> change = CompletableFuture.runAsync(() -> waiters.changed(settings));
        assertTrue(settings.taking.await(5, TimeUnit.SECONDS), "the change is taking the new revision");
        // Meanwhile the sensor got revision 2 on another poll (its first one ended) and polls again.
        var again = poll(sensor, WorkWaiters.Lane.SETTINGS, 2, Duration.ofSeconds(30));
        assertEquals(Optional.empty(), first.get(1, TimeUnit.SECONDS), "the newer poll ended the older");
        release.countDown();
        change.get(5, TimeUnit.SECONDS);
        assertFalse(again.isDone(), "revision 2 again to a sensor that holds it: " + again.getNow(null));
        assertEquals(1, waiters.waitingCount());

        // A newer poll that still lacks the revision gets it.
        settings.desired = 3;
        settings.gate = new java.util.concurrent.CountDownLatch(0);
        waiters.changed(settings);
        assertEquals(3, again.get(1, TimeUnit.SECONDS).orElseThrow().settings().revision());
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

    @Test
    void pollsThatArriveBehindWhileABatchIsTakenShareOneTakeAndReturnAtOnce() throws Exception {
        settings.desired = 2;
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        settings.gate = release;
        var first = CompletableFuture.supplyAsync(() -> poll(UUID.randomUUID(), WorkWaiters.Lane.WORK, 1, Duration.ofSeconds(30)));
        assertTrue(settings.taking.await(5, TimeUnit.SECONDS), "the first poll is taking its settings (a slow query)");
        // After a push, the fleet polls again behind: none of them may hold a thread or a
        // connection for a take of its own while the first one runs.
        List<CompletableFuture<Optional<Work>>> behind = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            behind.add(poll(UUID.randomUUID(), WorkWaiters.Lane.WORK, 1, Duration.ofSeconds(30)));
        }
        assertEquals(1, settings.takes.get(), "takes while the first runs");
        assertTrue(behind.stream().noneMatch(CompletableFuture::isDone));
        release.countDown();
        assertEquals(2, first.get(5, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS).orElseThrow().settings().revision());
        for (var f : behind) {
            assertEquals(2, f.get(5, TimeUnit.SECONDS).orElseThrow().settings().revision());
        }
        assertEquals(2, settings.takes.get(), "the 200 polls behind were taken in one batch");
        assertEquals(0, waiters.waitingCount());
    }

    @Test
    void aBatchThatCannotBeTakenKeepsItsPollsWaitingAndTheNextChangeAnswersThem() throws Exception {
        settings.desired = 2;
        settings.failTake = true;
        var f = poll(UUID.randomUUID(), WorkWaiters.Lane.SETTINGS, 1, Duration.ofSeconds(30));
        assertFalse(f.isDone(), "neither answered nor failed: " + f.getNow(null));
        assertEquals(1, waiters.waitingCount());
        waiters.changed(settings);
        assertEquals(2, f.get(1, TimeUnit.SECONDS).orElseThrow().settings().revision());
    }

    @Test
    void aPollThatCannotBeLookedAtFailsAndLeavesNoWaiterBehind() {
        settings.failPending = true;
        List<Optional<Work>> answers = new java.util.ArrayList<>();
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> waiters.poll(UUID.randomUUID(), WorkWaiters.Lane.WORK, 1, Duration.ofSeconds(30), answers::add));
        assertEquals("no connection", e.getMessage());
        assertEquals(0, waiters.waitingCount(), "no timer may answer the failed request later");
        assertEquals(List.of(), answers);
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
