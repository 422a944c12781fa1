package io.sensorfleet.console.updates;

import io.sensorfleet.console.agentplane.AgentEndpoints;
import io.sensorfleet.console.agentplane.AgentRequests;
import io.sensorfleet.console.agentplane.RevocationList;
import io.sensorfleet.console.agentplane.SensorIdentity;
import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.protocol.v1.AgentPaths;
import io.sensorfleet.protocol.v1.update.UpdateProgress;
import io.sensorfleet.protocol.v1.update.UpdateStage;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/** The update endpoints of the agent plane: task long-poll, package download (resumable), progress reports. */
@ApplicationScoped
public class UpdateAgentRoutes implements AgentEndpoints {
    private static final int MAX_DETAIL = 4000;
    private static final int MAX_LOG = 64 * 1024;

    private final RevocationList revocations;
    private final AgentRequests requests;
    private final UpdateTaskWaiters waiters;
    private final UpdateTasks tasks;

    UpdateAgentRoutes(RevocationList revocations, AgentRequests requests, UpdateTaskWaiters waiters,
                      UpdateTasks tasks) {
        this.revocations = revocations;
        this.requests = requests;
        this.waiters = waiters;
        this.tasks = tasks;
    }

    @Override
    public void routes(Router r) {
        r.get(AgentPaths.UPDATE_TASKS).blockingHandler(this::poll, false);
        r.post(AgentPaths.UPDATE_PROGRESS).blockingHandler(this::progress, false);
        r.get(AgentPaths.UPDATE_PACKAGES + "/:packageId").blockingHandler(this::download, false);
    }

    private UUID sensor(RoutingContext ctx) {
        return SensorIdentity.of(ctx.request().sslSession(), revocations).sensorId();
    }

    private void poll(RoutingContext ctx) {
        requests.longPoll(ctx, sensor(ctx), (sensor, wait, reply) -> waiters.poll(sensor, wait, reply::accept));
    }

    private void progress(RoutingContext ctx) {
        UUID sensor = sensor(ctx);
        UpdateProgress p = requests.body(ctx, UpdateProgress.class);
        if (p == null || p.taskId() == null || p.stage() == null || p.stage() == UpdateStage.QUEUED) {
            throw ProblemException.badRequest("taskId and stage (not QUEUED) are required");
        }
        if (p.percent() != null && (p.percent() < 0 || p.percent() > 100)) {
            throw ProblemException.badRequest("percent: from 0 to 100");
        }
        if ((p.stage() == UpdateStage.FAILED || p.stage() == UpdateStage.ROLLED_BACK)
                && (p.detail() == null || p.detail().isBlank())) {
            throw ProblemException.badRequest("detail: required for FAILED and ROLLED_BACK");
        }
        if ((p.detail() != null && p.detail().length() > MAX_DETAIL) || (p.log() != null && p.log().length() > MAX_LOG)) {
            throw ProblemException.badRequest("detail: at most " + MAX_DETAIL + " characters; log: at most " + MAX_LOG);
        }
        if (p.version() != null && !io.sensorfleet.protocol.v1.update.Versions.valid(p.version())) {
            throw ProblemException.badRequest("version: letters, digits and . + _ - only, at most 64");
        }
        tasks.progress(sensor, p);
        ctx.response().setStatusCode(204).end();
    }

    private void download(RoutingContext ctx) {
        UUID sensor = sensor(ctx);
        UUID packageId;
        try {
            packageId = UUID.fromString(ctx.pathParam("packageId"));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("package id: not a UUID");
        }
        Path file = tasks.packageFile(sensor, packageId);
        long size;
        try {
            size = Files.size(file);
        } catch (java.io.IOException e) {
            throw ProblemException.notFound("package file", packageId);
        }
        AgentRequests.sendFile(ctx, file, size);
    }
}
