package io.sensorfleet.console.settings;

import io.sensorfleet.console.platform.Role;
import io.sensorfleet.console.sensors.SensorAssignment;
import io.sensorfleet.console.sensors.SensorService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.UUID;

/** One sensor's settings: desired against applied, copy to others, push again. */
@Path("/api/v1/sensors/{id}/settings")
@Tag(name = "Settings")
public class SensorSettingsResource {

    /** The sensors to copy to: a list or a filter. */
    public record Targets(@Size(max = 100_000) List<UUID> sensorIds, SensorAssignment.FilterSpec filter) {
    }

    @Inject
    SettingsService settings;
    @Inject
    SettingsQuery query;
    @Inject
    SensorService sensors;

    @POST
    @Path("/duplicate")
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(summary = "Copy a sensor's settings to other sensors", description = "Duplicates a sensor's configuration: copies the "
            + "sensor's own values (not its IP address or host name) to the listed or matching sensors.")
    public SettingsService.Revision duplicate(@PathParam("id") UUID id, @Valid @NotNull Targets t,
                                              @Context SecurityContext sc) {
        return settings.duplicate(id, sensors.targets(t.sensorIds(), t.filter()), sc.getUserPrincipal().getName());
    }

    @POST
    @Path("/reapply")
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(summary = "Push a sensor's settings again", description = "Makes the sensor apply its desired settings "
            + "again, e.g. to undo changes made locally on the sensor (drift).")
    public SettingsService.Revision reapply(@PathParam("id") UUID id, @Context SecurityContext sc) {
        return settings.reapply(id, sc.getUserPrincipal().getName());
    }

    @GET
    @RolesAllowed({Role.ADMIN_NAME, Role.ANALYST_NAME, Role.READ_ONLY_NAME})
    @Operation(summary = "Get a sensor's settings, desired and applied", description = "Per key: the desired value "
            + "and the scope it comes from, the value the sensor reported applying, and whether they match; plus the "
            + "revisions, the sensor's last failure reason and keys changed locally (drift).")
    public SettingsQuery.SensorSettings sensorSettings(@PathParam("id") UUID id) {
        return query.sensor(id);
    }

}
