package io.sensorfleet.console.backups;

import io.sensorfleet.console.platform.ProblemType;
import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.protocol.v1.backup.BackupFailureKind;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;

/**
 * One upload PUT in progress, on its connection's event loop: each piece of the body goes into the
 * running SHA-256 and to the partial file through an {@link AsyncFile}; while the file's write queue
 * is full the request is paused, so memory stays flat whatever the size. Progress is recorded every
 * few seconds; when the body ends the upload is checked and stored (or refused) on a worker thread.
 */
final class UploadStream {
    private static final Logger LOG = Logger.getLogger(UploadStream.class);
    private static final long PROGRESS_EVERY_NANOS = Duration.ofSeconds(2).toNanos();

    private final BackupAgentRoutes routes;
    private final Vertx vertx;
    private final BackupUploads uploads;
    private final BackupTasks tasks;
    private final RoutingContext ctx;
    private final BackupUploads.Target target;
    private final AsyncFile file;
    private long received;
    private long lastProgress = System.nanoTime();
    private boolean overflow;

    UploadStream(RoutingContext ctx, BackupUploads.Target target, AsyncFile file, BackupAgentRoutes routes) {
        this.routes = routes;
        this.vertx = routes.vertx;
        this.uploads = routes.uploads;
        this.tasks = routes.tasks;
        this.ctx = ctx;
        this.target = target;
        this.file = file;
        this.received = target.received();
    }

    void begin() {
        UploadStream previous = routes.active.put(target.backupId(), this);
        if (previous != null) {
            previous.ctx.request().connection().close();
        }
        ctx.addEndHandler(v -> routes.active.remove(target.backupId(), this));
        HttpServerRequest req = ctx.request();
        file.setWritePos(received);
        file.exceptionHandler(this::storageFailed);
        req.handler(this::piece);
        req.endHandler(v -> finish());
        req.exceptionHandler(this::broken);
        req.resume();
    }

    private void piece(Buffer b) {
        if (overflow) {
            return;
        }
        if (received + b.length() > target.size()) {
            overflow = true;
            received += b.length();
            file.close().onComplete(v -> settle());
            ctx.request().connection().close();
            return;
        }
        target.digest().update(b.getByteBuf().nioBuffer());
        file.write(b);
        received += b.length();
        if (file.writeQueueFull()) {
            ctx.request().pause();
            file.drainHandler(v -> ctx.request().resume());
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

    private void finish() {
        if (overflow) {
            return;
        }
        file.close().onSuccess(v -> settle()).onFailure(this::storageFailed);
    }

    /** Checks and records what arrived; answers when the client is still there to hear it. */
    private void settle() {
        long total = received;
        String sha = BackupUploads.hex(target.digest());
        vertx.<BackupUploads.Start>executeBlocking(() -> uploads.finish(target, total, sha), false)
                .onSuccess(s -> {
                    if (s.refusal() != null) {
                        ctx.fail(s.refusal());
                    } else {
                        routes.json(ctx, 200, s.status());
                    }
                })
                .onFailure(ctx::fail);
    }

    private void broken(Throwable t) {
        if (overflow) {
            return;
        }
        routes.active.remove(target.backupId(), this);
        LOG.debugf("upload %s broke off after %d bytes: %s", target.backupId(), received, t.getMessage());
        long at = received;
        file.close().onComplete(v -> vertx.executeBlocking(() -> {
            uploads.progress(target, at);
            return null;
        }, false));
    }

    private void storageFailed(Throwable t) {
        LOG.warnf("writing upload %s failed: %s", target.backupId(), t.getMessage());
        String reason = "cannot write the upload to backup storage: " + t.getMessage();
        vertx.executeBlocking(() -> tasks.fail(target.taskId(), t instanceof IOException
                && String.valueOf(t.getMessage()).contains("No space")
                ? BackupFailureKind.NO_SPACE
                : BackupFailureKind.STORAGE_UNAVAILABLE, reason), false);
        BackupAgentRoutes.refuse(ctx, new ProblemException(ProblemType.STORAGE_UNAVAILABLE, reason));
    }
}
