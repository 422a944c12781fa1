package io.sensorfleet.console.backups;

import io.sensorfleet.console.platform.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.UUID;

/** One sensor's backups, beside its other sub-resources. */
@Path("/api/v1/sensors/{id}/backups")
@Tag(name = "Backups")
public class SensorBackupResource {
    @Inject
    BackupQuery query;

    @GET
    @RolesAllowed({Role.ADMIN_NAME, Role.ANALYST_NAME, Role.READ_ONLY_NAME})
    @Operation(summary = "Get a sensor's backups", description = "The sensor's stored backups (newest first), its "
            + "allocation and the space used, when the last backup arrived, the backup or restore under way, and the "
            + "last failures with their reasons.")
    public BackupViews.SensorSummary get(@PathParam("id") UUID id) {
        return query.sensor(id);
    }
}
