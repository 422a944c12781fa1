package io.sensorfleet.console.backups;

import io.sensorfleet.console.platform.Role;
import io.sensorfleet.console.common.Page;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.UUID;

/** What backups and restores are doing and what went wrong, across collections. */
@Path("/api/v1/backups")
@Tag(name = "Backups")
public class BackupActivityResource {
    @Inject
    BackupQuery query;

    @GET
    @Path("/tasks")
    @RolesAllowed({Role.ADMIN_NAME, Role.ANALYST_NAME, Role.READ_ONLY_NAME})
    @Operation(summary = "List backup and restore tasks", description = "Backups being collected and restores being "
            + "applied, newest first, per sensor (sensorId) and/or only those under way (active=true): state, bytes "
            + "moved, and the outcome with the failure kind and reason.")
    public Page<BackupViews.Task> tasks(@QueryParam("sensorId") UUID sensorId, @QueryParam("active") Boolean active,
                                        @QueryParam("page") @DefaultValue("0") @Min(0) int page,
                                        @QueryParam("size") @DefaultValue("50") @Min(1) @Max(1000) int size) {
        return query.tasks(null, sensorId, active, page, size);
    }

    @GET
    @Path("/failures")
    @RolesAllowed({Role.ADMIN_NAME, Role.ANALYST_NAME, Role.READ_ONLY_NAME})
    @Operation(summary = "List backup and restore failures", description = "Every failure, newest first, fleet-wide or "
            + "of one sensor: when, BACKUP or RESTORE, the kind (NOT_FOUND, NETWORK_FAILURE, NO_SPACE, "
            + "STORAGE_UNAVAILABLE, CHECKSUM_MISMATCH, ALLOCATION_EXCEEDED, VERSION_MISMATCH, SENSOR_ERROR) and the reason.")
    public Page<BackupViews.Failure> failures(@QueryParam("sensorId") UUID sensorId,
                                              @QueryParam("page") @DefaultValue("0") @Min(0) int page,
                                              @QueryParam("size") @DefaultValue("50") @Min(1) @Max(500) int size) {
        return query.failures(sensorId, page, size);
    }
}
