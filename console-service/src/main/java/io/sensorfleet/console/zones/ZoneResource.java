package io.sensorfleet.console.zones;

import io.sensorfleet.console.platform.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.UUID;

@Path("/api/v1/zones")
@Tag(name = "Sites and zones")
public class ZoneResource {

    public record ZoneRequest(@NotBlank @Size(max = 100) String name, @Size(max = 1000) String description,
                              @NotNull UUID siteId) {
    }

    /** Fields left out stay as they are. */
    public record ZoneUpdate(@Size(min = 1, max = 100) String name, @Size(max = 1000) String description) {
    }

    @Inject
    ZoneService zones;

    @POST
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(summary = "Create a zone", description = "Creates a zone in a site, with a name unique in the site "
            + "and a description. Sensors and connection strings can then be assigned to it.")
    public Response create(@Valid @NotNull ZoneRequest request) {
        return Response.status(201).entity(zones.create(request.name(), request.description(), request.siteId())).build();
    }

    @GET
    @RolesAllowed({Role.ADMIN_NAME, Role.ANALYST_NAME, Role.READ_ONLY_NAME})
    @Operation(summary = "List zones", description = "Zones by name with how many sensors each has, optionally "
            + "of one site.")
    public List<ZoneService.View> list(@QueryParam("siteId") UUID siteId) {
        return zones.list(siteId);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Role.ADMIN_NAME, Role.ANALYST_NAME, Role.READ_ONLY_NAME})
    @Operation(summary = "Get a zone", description = "One zone with its site and number of sensors.")
    public ZoneService.View get(@PathParam("id") UUID id) {
        return zones.get(id);
    }

    @PATCH
    @Path("/{id}")
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(summary = "Rename a zone or change its description", description = "Changes the name (unique in "
            + "the site) and/or the description of a zone.")
    public ZoneService.View update(@PathParam("id") UUID id, @Valid @NotNull ZoneUpdate u) {
        return zones.update(id, u.name(), u.description());
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(summary = "Delete a zone", description = "Deletes a zone without sensors. A zone with sensors is "
            + "refused (409) with the number assigned: unassign them first.")
    public Response delete(@PathParam("id") UUID id) {
        zones.delete(id);
        return Response.noContent().build();
    }
}
