package io.sensorfleet.console.backups;

import io.sensorfleet.console.platform.AuditContext;
import io.sensorfleet.console.platform.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.UUID;

/** Per-sensor storage allocations. */
@Path("/api/v1/backups/allocations")
@Tag(name = "Backups")
public class BackupAllocationResource {

    /** @param bytes space the sensor's stored backups may take together; null returns to the configured default */
    public record Change(Long bytes) {
    }

    @Inject
    BackupService service;
    @Inject
    AuditContext audit;

    @PUT
    @Path("/{sensorId}")
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(summary = "Set a sensor's backup allocation", description = "The space, in bytes, the sensor's stored "
            + "backups may take together (null: the configured default). A backup that would not fit beside the ones "
            + "kept is skipped with the reason ALLOCATION_EXCEEDED and the collection goes on with the next sensor.")
    public BackupViews.Allocation set(@PathParam("sensorId") UUID sensorId, @NotNull Change c, @Context SecurityContext sc) {
        audit.target("sensor:" + sensorId);
        audit.detail("backup allocation " + (c.bytes() == null ? "default" : c.bytes() + " bytes"));
        return service.allocate(sensorId, c.bytes(), sc.getUserPrincipal().getName());
    }
}
