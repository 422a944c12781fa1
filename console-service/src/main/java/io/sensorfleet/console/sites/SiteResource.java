package io.sensorfleet.console.sites;

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

@Path("/api/v1/sites")
@Tag(name = "Sites and zones")
public class SiteResource {

    public record CreateSite(@NotBlank @Size(max = 100) String name, @Size(max = 500) String address,
                             @NotNull UUID regionId) {
    }

    /** Fields left out stay as they are. */
    public record UpdateSite(@Size(min = 1, max = 100) String name, @Size(max = 500) String address) {
    }

    @Inject
    SiteService sites;

    @GET
    @RolesAllowed({Role.ADMIN_NAME, Role.ANALYST_NAME, Role.READ_ONLY_NAME})
    @Operation(summary = "List sites", description = "Sites by name with their region and business unit, "
            + "optionally of one region.")
    public List<SiteService.SiteView> list(@QueryParam("regionId") UUID regionId) {
        return sites.sites(regionId);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Role.ADMIN_NAME, Role.ANALYST_NAME, Role.READ_ONLY_NAME})
    @Operation(summary = "Get a site", description = "One site with its physical address, region and business unit.")
    public SiteService.SiteView get(@PathParam("id") UUID id) {
        return sites.site(id);
    }

    @POST
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(summary = "Create a site", description = "Creates a site (a plant, a substation, a hospital "
            + "building) with a physical address in a region; names are unique within the region.")
    public Response create(@Valid @NotNull CreateSite s) {
        return Response.status(201).entity(sites.createSite(s.name(), s.address(), s.regionId())).build();
    }

    @PATCH
    @Path("/{id}")
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(summary = "Rename a site or change its address", description = "Changes the name and/or the "
            + "physical address of a site.")
    public SiteService.SiteView update(@PathParam("id") UUID id, @Valid @NotNull UpdateSite s) {
        return sites.updateSite(id, s.name(), s.address());
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(summary = "Delete a site", description = "Deletes a site without zones; one with zones is refused "
            + "(409) with their number.")
    public Response delete(@PathParam("id") UUID id) {
        sites.deleteSite(id);
        return Response.noContent().build();
    }
}
