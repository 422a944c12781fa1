package io.sensorfleet.console.backups;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.inject.Singleton;
import jakarta.enterprise.event.Observes;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The threads that hash uploads and write them to storage. Uploads used to be hashed and written
 * on the agent plane's event loops, where heartbeats waited behind every upload chunk (heartbeat
 * p99 7.7 → 88 ms during 20 concurrent uploads, docs/benchmarks.md): the event loops now only
 * decrypt and hand each chunk over, and the operating system shares the cores between them and
 * these threads, so a heartbeat is answered without waiting for an upload's queue. They run at the
 * lowest Java priority, which the console's launch line ({@code -XX:ThreadPriorityPolicy=1}) makes a
 * lower operating-system priority (nice 4): when the cores are busy, heartbeats and the API go
 * first and uploads slow down, and because an upload's request is paused while its pieces wait
 * here, the event loops then also decrypt less of it. A singleton, not a proxied bean: a client
 * proxy would run the constructor and make a second pool.
 */
@Singleton
public class UploadWriters {
    private final ExecutorService pool;

    UploadWriters() {
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        pool = Executors.newFixedThreadPool(threads, Thread.ofPlatform().name("backup-upload-writer-", 1)
                .daemon().priority(Thread.MIN_PRIORITY).factory());
    }

    /** Runs an upload's queued work; an upload's pieces never run on two threads at once ({@link UploadSink}). */
    void execute(Runnable r) {
        pool.execute(r);
    }

    void stop(@Observes ShutdownEvent ev) {
        pool.shutdownNow();
    }
}
