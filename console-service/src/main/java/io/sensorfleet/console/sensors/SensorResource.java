package io.sensorfleet.console.sensors;

import io.sensorfleet.console.platform.Role;
import io.sensorfleet.console.common.Page;
import io.sensorfleet.protocol.v1.heartbeat.Health;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.UUID;

@Path("/api/v1/sensors")
@Tag(name = "Sensors")
public class SensorResource {
    @Inject
    SensorService service;
    @Inject
    SensorAssignment assignment;
    @Inject
    SensorCounts counts;

    @GET
    @RolesAllowed({Role.ADMIN_NAME, Role.ANALYST_NAME, Role.READ_ONLY_NAME})
    @Operation(summary = "List sensors", description = "Pages through the sensor inventory, by name. Filters "
            + "combine with AND: connectivity state, health (OK, DEGRADED, FAILED), exact software version, part of the name (case-insensitive), "
            + "zone, site, region, business unit, or only sensors in no zone (unassigned=true).")
    public Page<SensorView> list(@QueryParam("connectivity") Connectivity connectivity,
                                 @QueryParam("version") @Size(max = 64) String version,
                                 @QueryParam("name") @Size(max = 200) String name,
                                 @QueryParam("zoneId") UUID zoneId,
                                 @QueryParam("unassigned") Boolean unassigned,
                                 @QueryParam("siteId") UUID siteId,
                                 @QueryParam("regionId") UUID regionId,
                                 @QueryParam("businessUnitId") UUID businessUnitId,
                                 @QueryParam("health") Health.Status health,
                                 @QueryParam("page") @DefaultValue("0") @Min(0) int page,
                                 @QueryParam("size") @DefaultValue("50") @Min(1) @Max(1000) int size) {
        return service.list(new SensorFilter(connectivity, version, name, zoneId, unassigned, siteId, regionId,
                businessUnitId, health), page, size);
    }

    @POST
    @Path("/assignment")
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(summary = "Assign sensors to a zone", description = "Moves the listed sensors (sensorIds), or all "
            + "that match a filter (filter; {} is the whole fleet), into the zone zoneId — or out of any zone when "
            + "zoneId is null. One statement whatever the number of sensors; answers how many were changed.")
    public SensorAssignment.Result assign(@Valid @NotNull SensorAssignment.Request request) {
        return assignment.assign(request);
    }

    @GET
    @Path("/counts")
    @RolesAllowed({Role.ADMIN_NAME, Role.ANALYST_NAME, Role.READ_ONLY_NAME})
    @Operation(summary = "Count sensors by state", description = "Sensors per connectivity state, grouped by "
            + "zone, site, region or businessUnit (groupBy); sensors in no zone form a group with a null id.")
    public java.util.List<SensorCounts.Group> counts(@QueryParam("groupBy") @DefaultValue("zone") SensorCounts.GroupBy by) {
        return counts.count(by);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Role.ADMIN_NAME, Role.ANALYST_NAME, Role.READ_ONLY_NAME})
    @Operation(summary = "Get a sensor", description = "One sensor: identity, zone, version, connectivity state "
            + "and since when, last heartbeat, clock offset, health, certificate expiry, settings revisions.")
    public SensorView get(@PathParam("id") UUID id) {
        return service.get(id);
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(summary = "Delete a sensor", description = "Removes the sensor from the inventory and revokes its "
            + "certificates: every console instance refuses it on the agent plane within seconds. To bring it "
            + "back, connect it again with a new connection string.")
    public Response delete(@PathParam("id") UUID id) {
        service.delete(id);
        return Response.noContent().build();
    }
}
