package io.sensorfleet.console.backups;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sensorfleet.console.agentplane.RevocationList;
import io.sensorfleet.console.agentplane.SensorIdentity;
import io.sensorfleet.console.agentplane.AgentEndpoints;
import io.sensorfleet.console.agentplane.AgentRequests;
import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.protocol.v1.AgentPaths;
import io.sensorfleet.protocol.v1.backup.BackupTaskResult;
import io.sensorfleet.protocol.v1.backup.BackupUploadRequest;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.util.UUID;

/**
 * The backup endpoints of the agent plane. Uploads stream: their route is registered ahead of the
 * agent plane's body handler (which would buffer a body in memory), each piece of the body is handed
 * by an {@link UploadStream} to a writer thread that feeds the running SHA-256 and the partial file,
 * with back-pressure (the request is paused while too many bytes wait), so memory stays flat whatever
 * the size and heartbeats on the same event loops do not wait behind upload chunks.
 * Errors end as problem details through the agent plane's failure handler.
 */
@ApplicationScoped
public class BackupAgentRoutes implements AgentEndpoints {

    /** PUTs in progress on this instance, by upload: a new one for the same upload ends the old (dead) one. */
    final java.util.Map<UUID, UploadStream> active = new java.util.concurrent.ConcurrentHashMap<>();

    private final RevocationList revocations;
    private final ObjectMapper mapper;
    private final AgentRequests requests;
    private final BackupTaskWaiters waiters;
    private final BackupStorage storage;
    // read by each UploadStream this class starts
    final Vertx vertx;
    final BackupTasks tasks;
    final BackupUploads uploads;
    final UploadWriters writers;

    BackupAgentRoutes(RevocationList revocations, ObjectMapper mapper, AgentRequests requests, Vertx vertx,
                      BackupTaskWaiters waiters, BackupTasks tasks, BackupUploads uploads, BackupStorage storage,
                      UploadWriters writers) {
        this.writers = writers;
        this.revocations = revocations;
        this.mapper = mapper;
        this.requests = requests;
        this.vertx = vertx;
        this.waiters = waiters;
        this.tasks = tasks;
        this.uploads = uploads;
        this.storage = storage;
    }

    /** Routes that read their body as a stream: register before any body handler. */
    @Override
    public void streamingRoutes(Router r) {
        r.put(AgentPaths.BACKUP_UPLOADS + "/:uploadId").handler(this::receive);
    }

    /** Routes with small JSON bodies (after the body handler) or none. */
    @Override
    public void routes(Router r) {
        r.get(AgentPaths.BACKUP_TASKS).blockingHandler(this::poll, false);
        r.post(AgentPaths.BACKUP_UPLOADS).blockingHandler(this::start, false);
        r.post(AgentPaths.BACKUP_RESULTS).blockingHandler(this::result, false);
        r.get(AgentPaths.BACKUP_CONTENT + "/:backupId").blockingHandler(this::download, false);
    }

    private UUID sensor(RoutingContext ctx) {
        return SensorIdentity.of(ctx.request().sslSession(), revocations).sensorId();
    }

    private void poll(RoutingContext ctx) {
        requests.longPoll(ctx, sensor(ctx), (sensor, wait, reply) -> waiters.poll(sensor, wait, reply::accept));
    }

    private void start(RoutingContext ctx) {
        UUID sensor = sensor(ctx);
        BackupUploads.Start s = uploads.start(sensor, requests.body(ctx, BackupUploadRequest.class));
        if (s.refusal() != null) {
            throw s.refusal();
        }
        json(ctx, 200, s.status());
    }

    private void result(RoutingContext ctx) {
        UUID sensor = sensor(ctx);
        BackupTaskResult r = requests.body(ctx, BackupTaskResult.class);
        if (r.taskId() == null || (!r.ok() && (r.reason() == null || r.reason().isBlank()))) {
            throw ProblemException.badRequest("taskId is required, and a reason when ok is false");
        }
        if (r.reason() != null && r.reason().length() > 4000) {
            throw ProblemException.badRequest("reason: at most 4000 characters");
        }
        tasks.result(sensor, r);
        ctx.response().setStatusCode(204).end();
    }

    private void download(RoutingContext ctx) {
        UUID sensor = sensor(ctx);
        UUID backupId = uuid(ctx.pathParam("backupId"), "backup id");
        BackupTasks.RestoreFile f = tasks.restoreFile(sensor, backupId);
        if (f.refusal() != null) {
            throw f.refusal();
        }
        AgentRequests.sendFile(ctx, f.path(), f.size());
    }

    /** PUT: checks and opens the partial file on a worker thread, then streams the body to it through writer threads. */
    private void receive(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        req.pause();
        UUID sensor;
        UUID uploadId;
        long offset;
        try {
            sensor = sensor(ctx);
            uploadId = uuid(ctx.pathParam("uploadId"), "upload id");
            offset = AgentRequests.number(ctx, "offset", -1, 0, Long.MAX_VALUE);
            if (offset < 0) {
                throw ProblemException.badRequest("offset: required, the number of bytes the console already holds");
            }
        } catch (ProblemException e) {
            refuse(ctx, e);
            return;
        }
        Context context = vertx.getOrCreateContext();
        vertx.<UploadStream.Opened>executeBlocking(() -> UploadStream.Opened.of(uploads.open(sensor, uploadId, offset)), false)
                .onComplete(r -> context.runOnContext(v -> {
                    if (r.succeeded()) {
                        new UploadStream(ctx, r.result(), context, this).begin();
                    } else {
                        refuse(ctx, r.cause());
                    }
                }));
    }

    /** The body is not wanted: answer, and close the connection rather than read the rest of it. */
    static void refuse(RoutingContext ctx, Throwable e) {
        if (!ctx.request().isEnded()) {
            // so that the client does not reuse the connection either
            ctx.response().putHeader("Connection", "close");
            ctx.addEndHandler(v -> ctx.request().connection().close());
        }
        ctx.fail(e);
    }

    private static UUID uuid(String s, String what) {
        try {
            return UUID.fromString(s);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ProblemException.badRequest(what + ": not a UUID");
        }
    }



    void json(RoutingContext ctx, int status, Object body) {
        if (ctx.response().ended()) {
            return;
        }
        try {
            ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                    .end(Buffer.buffer(mapper.writeValueAsBytes(body)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
