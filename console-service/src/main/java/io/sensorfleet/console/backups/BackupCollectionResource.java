package io.sensorfleet.console.backups;

import io.sensorfleet.console.platform.AuditContext;
import io.sensorfleet.console.platform.Role;
import io.sensorfleet.console.common.Page;
import io.sensorfleet.console.sensors.SensorAssignment;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.UUID;

/** Collections: "back up now" for sensors, a zone, a filter or the fleet, and the progress of each run. */
@Path("/api/v1/backups/collections")
@Tag(name = "Backups")
public class BackupCollectionResource {

    /**
     * Which sensors to collect from; exactly one field.
     *
     * @param all true for the whole fleet
     */
    public record Request(@Size(max = 100_000) List<UUID> sensorIds, UUID zoneId, SensorAssignment.FilterSpec filter,
                          Boolean all) {
    }

    @Inject
    BackupService service;
    @Inject
    BackupQuery query;
    @Inject
    AuditContext audit;

    @POST
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(summary = "Back up now", description = "Asks the listed sensors (sensorIds), the sensors of a zone "
            + "(zoneId), those matching an inventory filter (filter) or the whole fleet (all: true) for a fresh backup "
            + "and collects it. Sensors whose backup or restore is already under way are skipped (busy). Answers 202 "
            + "with the collection id; follow it with GET /api/v1/backups/collections/{id}.")
    public Response collect(@Valid @NotNull Request r, @Context SecurityContext sc) {
        BackupTasks.Started s = service.collect(new BackupService.Targets(r.sensorIds(), r.zoneId(), r.filter(), r.all()),
                sc.getUserPrincipal().getName());
        audit.target("collection:" + s.collectionId());
        audit.detail(s.queued() + " sensors queued, " + s.busy() + " busy");
        return Response.accepted(s).build();
    }

    @GET
    @RolesAllowed({Role.ADMIN_NAME, Role.ANALYST_NAME, Role.READ_ONLY_NAME})
    @Operation(summary = "List collections", description = "Collection runs, newest first — the daily one and those "
            + "started by hand — each with its progress: sensors pending, running, done and failed, bytes moved, "
            + "and whether it has finished.")
    public Page<BackupViews.Collection> list(@QueryParam("page") @DefaultValue("0") @Min(0) int page,
                                             @QueryParam("size") @DefaultValue("20") @Min(1) @Max(200) int size) {
        return query.collections(page, size);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Role.ADMIN_NAME, Role.ANALYST_NAME, Role.READ_ONLY_NAME})
    @Operation(summary = "Get a collection's progress", description = "One collection run with its progress counts.")
    public BackupViews.Collection get(@PathParam("id") UUID id) {
        return query.collection(id);
    }

    @GET
    @Path("/{id}/tasks")
    @RolesAllowed({Role.ADMIN_NAME, Role.ANALYST_NAME, Role.READ_ONLY_NAME})
    @Operation(summary = "List a collection's sensors", description = "Per sensor of the collection: state, bytes "
            + "received of the total, and for a failure its kind and reason. active=true shows only those under way.")
    public Page<BackupViews.Task> tasks(@PathParam("id") UUID id, @QueryParam("active") Boolean active,
                                        @QueryParam("page") @DefaultValue("0") @Min(0) int page,
                                        @QueryParam("size") @DefaultValue("100") @Min(1) @Max(1000) int size) {
        query.collection(id);
        return query.tasks(id, null, active, page, size);
    }
}
