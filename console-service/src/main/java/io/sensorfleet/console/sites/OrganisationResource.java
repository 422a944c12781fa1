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

/** Business units and regions, the two levels above sites. Only Admin changes them. */
@Path("/api/v1")
@Tag(name = "Sites and zones")
public class OrganisationResource {

    public record NameRequest(@NotBlank @Size(max = 100) String name) {
    }

    public record RegionRequest(@NotBlank @Size(max = 100) String name, @NotNull UUID businessUnitId) {
    }

    @Inject
    SiteService sites;

    @GET
    @Path("/business-units")
    @RolesAllowed({Role.ADMIN_NAME, Role.ANALYST_NAME, Role.READ_ONLY_NAME})
    @Operation(summary = "List business units", description = "Every business unit, by name.")
    public List<SiteService.BusinessUnitView> businessUnits() {
        return sites.businessUnits();
    }

    @POST
    @Path("/business-units")
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(summary = "Create a business unit", description = "Creates a business unit, the top of the "
            + "business unit → region → site → zone hierarchy. Names are unique.")
    public Response createBusinessUnit(@Valid @NotNull NameRequest r) {
        return Response.status(201).entity(sites.createBusinessUnit(r.name())).build();
    }

    @PATCH
    @Path("/business-units/{id}")
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(summary = "Rename a business unit", description = "Gives the business unit a new, unique name.")
    public SiteService.BusinessUnitView renameBusinessUnit(@PathParam("id") UUID id, @Valid @NotNull NameRequest r) {
        return sites.renameBusinessUnit(id, r.name());
    }

    @DELETE
    @Path("/business-units/{id}")
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(summary = "Delete a business unit", description = "Deletes an empty business unit; one with "
            + "regions is refused (409) with their number.")
    public Response deleteBusinessUnit(@PathParam("id") UUID id) {
        sites.deleteBusinessUnit(id);
        return Response.noContent().build();
    }

    @GET
    @Path("/regions")
    @RolesAllowed({Role.ADMIN_NAME, Role.ANALYST_NAME, Role.READ_ONLY_NAME})
    @Operation(summary = "List regions", description = "Regions by name, optionally of one business unit.")
    public List<SiteService.RegionView> regions(@QueryParam("businessUnitId") UUID businessUnitId) {
        return sites.regions(businessUnitId);
    }

    @POST
    @Path("/regions")
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(summary = "Create a region", description = "Creates a region in a business unit; names are unique "
            + "within the business unit.")
    public Response createRegion(@Valid @NotNull RegionRequest r) {
        return Response.status(201).entity(sites.createRegion(r.name(), r.businessUnitId())).build();
    }

    @PATCH
    @Path("/regions/{id}")
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(summary = "Rename a region", description = "Gives the region a new name, unique in its business unit.")
    public SiteService.RegionView renameRegion(@PathParam("id") UUID id, @Valid @NotNull NameRequest r) {
        return sites.renameRegion(id, r.name());
    }

    @DELETE
    @Path("/regions/{id}")
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(summary = "Delete a region", description = "Deletes an empty region; one with sites is refused (409).")
    public Response deleteRegion(@PathParam("id") UUID id) {
        sites.deleteRegion(id);
        return Response.noContent().build();
    }
}
