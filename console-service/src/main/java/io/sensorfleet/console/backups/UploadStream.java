package io.sensorfleet.console.backups;

import io.sensorfleet.console.platform.ProblemType;
import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.protocol.v1.backup.BackupFailureKind;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * One upload PUT in progress. On its connection's event loop each piece of the body is only counted
 * (for the size limit) and handed to an {@link UploadSink}, which hashes and writes it on a writer
 * thread; while the sink holds more than its high-water mark the request is paused, so memory stays
 * flat whatever the size. Progress is recorded every few seconds; when the body ends and every piece
 * is written, the upload is checked and stored (or refused) on a worker thread.
 */
final class UploadStream {
    private static final Logger LOG = Logger.getLogger(UploadStream.class);
    private static final long PROGRESS_EVERY_NANOS = Duration.ofSeconds(2).toNanos();
    /** How often a paused upload looks whether its writer caught up (1 MB waiting at most, 768 KB to write). */
    private static final long DRAIN_CHECK_MILLIS = 2;

    private final BackupAgentRoutes routes;
    private final Vertx vertx;
    private final BackupUploads uploads;
    private final BackupTasks tasks;
    private final RoutingContext ctx;
    private final BackupUploads.Target target;
    private final Context context;
    private final UploadSink sink;
    private long received;
    private long lastProgress = System.nanoTime();
    private boolean overflow;
    private boolean failed;
    /** Paused until the sink drains; pieces already on their way may still arrive meanwhile. */
    private boolean paused;

    /**
     * A checked upload and its partial file, open for writing at the offset the PUT continues from,
     * and open for direct writes too where the file system takes them ({@code direct} null otherwise).
     */
    record Opened(BackupUploads.Target target, FileChannel file, UploadSink.Direct direct) {
        static Opened of(BackupUploads.Target target) {
            try {
                FileChannel file = FileChannel.open(target.part(), StandardOpenOption.WRITE);
                file.position(target.received());
                return new Opened(target, file, UploadSink.openDirect(target.part()));
            } catch (IOException e) {
                throw BackupProblem.of(BackupFailureKind.STORAGE_UNAVAILABLE,
                        "cannot open the partial upload: " + e.getMessage());
            }
        }
    }

    UploadStream(RoutingContext ctx, Opened opened, Context context, BackupAgentRoutes routes) {
        this.routes = routes;
        this.vertx = routes.vertx;
        this.uploads = routes.uploads;
        this.tasks = routes.tasks;
        this.ctx = ctx;
        this.target = opened.target();
        this.received = target.received();
        this.context = context;
        this.sink = new UploadSink(routes.writers, opened.file(), opened.direct(), target.digest(),
                e -> context.runOnContext(v -> storageFailed(e)));
    }

    void begin() {
        UploadStream previous = routes.active.put(target.backupId(), this);
        if (previous != null) {
            previous.ctx.request().connection().close();
        }
        ctx.addEndHandler(v -> routes.active.remove(target.backupId(), this));
        HttpServerRequest req = ctx.request();
        req.handler(this::piece);
        req.endHandler(v -> finish());
        req.exceptionHandler(this::broken);
        req.resume();
    }

    private void piece(Buffer b) {
        if (overflow || failed) {
            return;
        }
        if (received + b.length() > target.size()) {
            overflow = true;
            received += b.length();
            sink.then((written, failure) -> {
                sink.close();
                settle();
            });
            ctx.request().connection().close();
            return;
        }
        received += b.length();
        if (sink.offer(b.getByteBuf()) && !paused) {
            paused = true;
            ctx.request().pause();
            resumeWhenDrained();
        }
        long now = System.nanoTime();
        if (now - lastProgress > PROGRESS_EVERY_NANOS) {
            lastProgress = now;
            long at = received;
            vertx.executeBlocking(() -> {
                uploads.progress(target, at);
                return null;
            }, false);
        }
    }

    /** Checks on this event loop's own timer (no wake-up from another thread) until the sink has room again. */
    private void resumeWhenDrained() {
        vertx.setTimer(DRAIN_CHECK_MILLIS, id -> {
            if (overflow || failed) {
                return;
            }
            if (sink.drained()) {
                paused = false;
                ctx.request().resume();
            } else {
                resumeWhenDrained();
            }
        });
    }

    private void finish() {
        if (overflow || failed) {
            return;
        }
        sink.then((written, failure) -> {
            sink.close();
            if (failure == null) {
                settle();
            }
        });
    }

    /** Checks and records what arrived (on a writer thread, after the last write); answers when the client is still there. */
    private void settle() {
        long total = received;
        String sha = BackupUploads.hex(target.digest());
        vertx.<BackupUploads.Start>executeBlocking(() -> uploads.finish(target, total, sha), false)
                .onComplete(r -> context.runOnContext(v -> {
                    if (r.failed()) {
                        ctx.fail(r.cause());
                    } else if (r.result().refusal() != null) {
                        ctx.fail(r.result().refusal());
                    } else {
                        routes.json(ctx, 200, r.result().status());
                    }
                }));
    }

    private void broken(Throwable t) {
        if (overflow || failed) {
            return;
        }
        routes.active.remove(target.backupId(), this);
        LOG.debugf("upload %s broke off after %d bytes: %s", target.backupId(), received, t.getMessage());
        long from = target.received();
        sink.then((written, failure) -> {
            sink.close();
            long at = from + written;
            vertx.executeBlocking(() -> {
                uploads.progress(target, at);
                return null;
            }, false);
        });
    }

    private void storageFailed(Throwable t) {
        if (failed) {
            return;
        }
        failed = true;
        routes.active.remove(target.backupId(), this);
        sink.then((written, failure) -> sink.close());
        LOG.warnf("writing upload %s failed: %s", target.backupId(), t.getMessage());
        String reason = "cannot write the upload to backup storage: " + t.getMessage();
        vertx.executeBlocking(() -> tasks.fail(target.taskId(), t instanceof IOException
                && String.valueOf(t.getMessage()).contains("No space")
                ? BackupFailureKind.NO_SPACE
                : BackupFailureKind.STORAGE_UNAVAILABLE, reason), false);
        BackupAgentRoutes.refuse(ctx, new ProblemException(ProblemType.STORAGE_UNAVAILABLE, reason));
    }
}
