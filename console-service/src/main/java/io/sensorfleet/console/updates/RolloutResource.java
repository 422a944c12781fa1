package io.sensorfleet.console.updates;

import io.sensorfleet.console.platform.AuditContext;
import io.sensorfleet.console.platform.Role;
import io.sensorfleet.console.common.Page;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Rollouts of a package to sensors, zones, sites or a filter: canary, batches, halt, pause, retry. */
@Path("/api/v1/updates")
@Tag(name = "Software updates")
public class RolloutResource {
    @Inject
    RolloutService service;
    @Inject
    UpdateQuery query;
    @Inject
    AuditContext audit;

    @POST
    @Path("/rollouts")
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(summary = "Start a rollout", description = "Rolls packageId out to sensorIds, zoneIds, siteIds, the "
            + "sensors matching filter, or all (exactly one). canarySize sensors (default 1) update first, then batches "
            + "of batchSize (default 10) with at most maxParallel (default batchSize) at once. The rollout halts when "
            + "the failed share exceeds failureThresholdPercent (default 0: any failure halts it). Sensors the package "
            + "does not apply to are refused with the reason, naming the version to install first; sensors that need "
            + "a new activation file wait (BLOCKED) with that reason. Any sensor that rolls back halts the rollout at once, "
            + "naming it and the reason. After each batch the rollout waits soakSeconds (default "
            + "sensorfleet.updates.soak-seconds) and halts if an updated sensor of the batch goes DISCONNECTED or reports "
            + "a worse health than before its update, naming the sensor and the check. watchSeconds (default "
            + "sensorfleet.updates.watch-seconds, 0 to 86400) is how long each sensor keeps its previous version after "
            + "the hand-over. startAt (ISO-8601 with offset) and window ({\"from\": \"HH:mm\", \"to\": \"HH:mm\", "
            + "\"zone\": IANA zone}: a daily window, spanning midnight when to is before from) schedule it: the rollout "
            + "shows SCHEDULED until then, and with a window starts sensors only inside it. Answers 201 with the rollout.")
    public Response create(@NotNull RolloutService.Request r, @Context SecurityContext sc) {
        UUID id = service.create(r, sc.getUserPrincipal().getName());
        audit.target("rollout:" + id);
        return Response.status(201).entity(query.rollout(id)).build();
    }

    @GET
    @Path("/rollouts")
    @RolesAllowed({Role.ADMIN_NAME, Role.ANALYST_NAME, Role.READ_ONLY_NAME})
    @Operation(summary = "List rollouts", description = "Rollouts, newest first, each with its state and its "
            + "sensors counted by stage.")
    public Page<UpdateViews.Rollout> list(@QueryParam("page") @DefaultValue("0") @Min(0) int page,
                                          @QueryParam("size") @DefaultValue("20") @Min(1) @Max(200) int size) {
        return query.rollouts(page, size);
    }

    @GET
    @Path("/rollouts/{id}")
    @RolesAllowed({Role.ADMIN_NAME, Role.ANALYST_NAME, Role.READ_ONLY_NAME})
    @Operation(summary = "Get a rollout", description = "State (SCHEDULED, RUNNING, PAUSED, HALTED with the reason, CANCELLED, "
            + "SUCCEEDED, FINISHED_WITH_FAILURES), the batch being worked on and the sensors counted by stage.")
    public UpdateViews.Rollout get(@PathParam("id") UUID id) {
        return query.rollout(id);
    }

    @POST
    @Path("/rollouts/{id}/pause")
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(summary = "Pause a rollout", description = "No further sensor starts; those already updating finish.")
    public UpdateViews.Rollout pause(@PathParam("id") UUID id) {
        audit.target("rollout:" + id);
        service.pause(id);
        return query.rollout(id);
    }

    @POST
    @Path("/rollouts/{id}/resume")
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(summary = "Resume a paused or halted rollout", description = "Goes on where the rollout stopped. A "
            + "rollout a sensor's health or connection halted goes on without checking that sensor again; one halted "
            + "by failed or rolled-back sensors is continued by retrying them instead (409 here).")
    public UpdateViews.Rollout resume(@PathParam("id") UUID id) {
        audit.target("rollout:" + id);
        service.resume(id);
        return query.rollout(id);
    }

    @POST
    @Path("/rollouts/{id}/cancel")
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(summary = "Cancel a rollout", description = "A scheduled rollout never starts. Sensors that have not "
            + "started are left out (CANCELLED); "
            + "sensors already updating finish, or roll back, on their own.")
    public UpdateViews.Rollout cancel(@PathParam("id") UUID id) {
        audit.target("rollout:" + id);
        service.cancel(id);
        return query.rollout(id);
    }

    @POST
    @Path("/rollouts/{id}/retry")
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(summary = "Retry failed sensors", description = "Queues the rollout's FAILED and ROLLED_BACK sensors "
            + "again (their attempt count grows) and sets a halted or finished rollout running again.")
    public Map<String, Object> retry(@PathParam("id") UUID id) {
        audit.target("rollout:" + id);
        int n = service.retry(id);
        audit.detail(n + " sensors retried");
        return Map.of("retried", n, "rollout", query.rollout(id));
    }

    @GET
    @Path("/rollouts/{id}/sensors")
    @RolesAllowed({Role.ADMIN_NAME, Role.ANALYST_NAME, Role.READ_ONLY_NAME})
    @Operation(summary = "List a rollout's sensors", description = "Per sensor, in rollout order: batch, stage, "
            + "progress percent, version before, the reason it waits, was refused or failed, and attempts. "
            + "stage=… shows one stage only.")
    public Page<UpdateViews.Target> sensors(@PathParam("id") UUID id, @QueryParam("stage") String stage,
                                            @QueryParam("page") @DefaultValue("0") @Min(0) int page,
                                            @QueryParam("size") @DefaultValue("100") @Min(1) @Max(1000) int size) {
        return query.targets(id, stage, page, size);
    }

    @GET
    @Path("/rollouts/{id}/sensors/{sensorId}")
    @RolesAllowed({Role.ADMIN_NAME, Role.ANALYST_NAME, Role.READ_ONLY_NAME})
    @Operation(summary = "Get one sensor's update", description = "The sensor's stage, every stage it went "
            + "through with its time, and the failure log (health-check output or the error) when it failed.")
    public UpdateViews.TargetDetail sensor(@PathParam("id") UUID id, @PathParam("sensorId") UUID sensorId) {
        return query.target(id, sensorId);
    }

    @GET
    @Path("/rollouts/{id}/sensors/{sensorId}/log")
    @Produces(MediaType.TEXT_PLAIN)
    @RolesAllowed({Role.ADMIN_NAME, Role.ANALYST_NAME, Role.READ_ONLY_NAME})
    @Operation(summary = "Get a failure log", description = "The kept log of a failed or rolled-back update as "
            + "text: the health check's stdout and stderr, or the error. 404 when none was kept.")
    public String log(@PathParam("id") UUID id, @PathParam("sensorId") UUID sensorId) {
        String log = query.target(id, sensorId).log();
        if (log == null) {
            throw io.sensorfleet.console.common.ProblemException.notFound("failure log of sensor", sensorId);
        }
        return log;
    }

    @GET
    @Path("/sensors/{sensorId}")
    @RolesAllowed({Role.ADMIN_NAME, Role.ANALYST_NAME, Role.READ_ONLY_NAME})
    @Operation(summary = "A sensor's updates", description = "The sensor's updates across rollouts, newest first "
            + "(at most 50): the version, stage, progress and reason of each — the update status of one sensor.")
    public List<UpdateViews.SensorUpdate> ofSensor(@PathParam("sensorId") UUID sensorId) {
        return query.ofSensor(sensorId, 50);
    }

    @GET
    @Path("/versions")
    @RolesAllowed({Role.ADMIN_NAME, Role.ANALYST_NAME, Role.READ_ONLY_NAME})
    @Operation(summary = "Fleet by version", description = "How many sensors run each version, newest first, and "
            + "the console's own version, which no sensor may exceed.")
    public UpdateViews.Fleet versions() {
        return query.fleet();
    }
}
