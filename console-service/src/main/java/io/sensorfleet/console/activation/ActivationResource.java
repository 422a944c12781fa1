package io.sensorfleet.console.activation;

import io.sensorfleet.console.platform.Role;
import io.sensorfleet.lib.activation.ActivationMode;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.UUID;

@Path("/api/v1/sensors/{id}/activation")
@Tag(name = "Activation")
public class ActivationResource {

    /** @param validDays lifetime of a LOCALLY_MANAGED file; absent for CONSOLE_CONNECTED */
    public record IssueRequest(@NotNull ActivationMode mode, Integer validDays) {
    }

    public record RenameRequest(@NotBlank @Size(max = 63) String name) {
    }

    @Inject
    ActivationService activation;

    @GET
    @RolesAllowed({Role.ADMIN_NAME, Role.ANALYST_NAME, Role.READ_ONLY_NAME})
    @Operation(summary = "List a sensor's activation files", description = "Every activation file issued for the "
            + "sensor, newest first, with mode, expiry and when the sensor installed it.")
    public List<ActivationService.FileView> files(@PathParam("id") UUID id) {
        return activation.files(id);
    }

    @POST
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(summary = "Issue an activation file", description = "Issues a signed activation file for the sensor: "
            + "LOCALLY_MANAGED with validDays, or CONSOLE_CONNECTED without expiry. Download it and install it on the "
            + "sensor with 'sensor-agent activate <file>'.")
    public Response issue(@PathParam("id") UUID id, @Valid @NotNull IssueRequest r, @Context SecurityContext sc) {
        return Response.status(201).entity(activation.issue(id, r.mode(), r.validDays(),
                sc.getUserPrincipal().getName())).build();
    }

    @POST
    @Path("/rename")
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(summary = "Rename a sensor", description = "The name lives in the activation file (seed): renaming "
            + "issues a new file with the new name, in the sensor's current mode. The inventory, backups and "
            + "notifications use the new name once the sensor has installed that file.")
    public Response rename(@PathParam("id") UUID id, @Valid @NotNull RenameRequest r, @Context SecurityContext sc) {
        return Response.status(201).entity(activation.rename(id, r.name(), sc.getUserPrincipal().getName())).build();
    }

    @GET
    @Path("/{fileId}/file")
    @Produces("application/jose")
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(summary = "Download an activation file", description = "The signed file itself (JWS compact "
            + "serialisation), to copy to the sensor.")
    public Response download(@PathParam("id") UUID id, @PathParam("fileId") UUID fileId) {
        return Response.ok(activation.content(id, fileId))
                .header("Content-Disposition", "attachment; filename=\"activation-" + id + ".jws\"").build();
    }
}
