package io.sensorfleet.console.backups;

import io.sensorfleet.console.platform.AuditContext;
import io.sensorfleet.console.platform.Role;
import io.sensorfleet.console.common.Page;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Map;
import java.util.UUID;

/** Stored backups: list, look at, download, delete, restore. */
@Path("/api/v1/backups")
@Tag(name = "Backups")
public class BackupResource {
    @Inject
    BackupQuery query;
    @Inject
    BackupService service;
    @Inject
    AuditContext audit;

    @GET
    @RolesAllowed({Role.ADMIN_NAME, Role.ANALYST_NAME, Role.READ_ONLY_NAME})
    @Operation(summary = "List backups", description = "Backups collected from sensors, newest first, fleet-wide or "
            + "of one sensor (sensorId): name the sensor gave it, version, size, SHA-256, state (STORED, or UPLOADING "
            + "while it arrives), upload attempts and where an interrupted upload resumed.")
    public Page<BackupViews.Backup> list(@QueryParam("sensorId") UUID sensorId,
                                         @QueryParam("page") @DefaultValue("0") @Min(0) int page,
                                         @QueryParam("size") @DefaultValue("50") @Min(1) @Max(500) int size) {
        return query.backups(sensorId, page, size);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Role.ADMIN_NAME, Role.ANALYST_NAME, Role.READ_ONLY_NAME})
    @Operation(summary = "Get a backup", description = "One backup with its size, SHA-256, version and state.")
    public BackupViews.Backup get(@PathParam("id") UUID id) {
        return query.backup(id);
    }

    @GET
    @Path("/{id}/content")
    @Produces("application/x-tar")
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(summary = "Download a backup", description = "The backup file as stored (a tar), streamed from the "
            + "backup storage; the ETag is its SHA-256. Admin only: a backup holds the sensor's configuration.")
    public Response content(@PathParam("id") UUID id) {
        BackupViews.Backup b = query.backup(id);
        return Response.ok(service.file(id).toFile(), "application/x-tar")
                .header("Content-Disposition", "attachment; filename=\"" + b.fileName() + "\"")
                .header("ETag", "\"" + b.sha256() + "\"")
                .build();
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(summary = "Delete a backup", description = "Removes the backup and its file from the storage. Refused "
            + "(409) while a restore from it is under way.")
    public Response delete(@PathParam("id") UUID id) {
        audit.target("backup:" + id);
        service.delete(id);
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/restore")
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(summary = "Restore a backup on its sensor", description = "Sends the backup to the sensor that took it: "
            + "the agent downloads it over mutual TLS, checks its SHA-256 and version, replaces configuration and data "
            + "(captures and logs are kept) and reports the outcome. Refused at once (409 version-mismatch, naming both "
            + "versions) when the sensor runs another version than the backup's; 409 sensor-busy while another backup "
            + "or restore of the sensor runs. Follow it with GET /api/v1/backups/tasks?sensorId=….")
    public Response restore(@PathParam("id") UUID id, @Context SecurityContext sc) {
        audit.target("backup:" + id);
        UUID task = service.restore(id, sc.getUserPrincipal().getName());
        audit.detail("restore task " + task);
        return Response.accepted(Map.of("taskId", task)).build();
    }
}
