package io.sensorfleet.console.health;

import io.sensorfleet.console.platform.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.UUID;

@Path("/api/v1/sensors/{id}/health")
@Tag(name = "Sensors")
public class SensorHealthResource {
    @Inject
    SensorHealthQuery query;

    @GET
    @RolesAllowed({Role.ADMIN_NAME, Role.ANALYST_NAME, Role.READ_ONLY_NAME})
    @Operation(summary = "Get a sensor's health checks", description = "The health the sensor last reported: "
            + "status (OK, DEGRADED, FAILED; null before its first heartbeat), since when, and every check with "
            + "its status, message and observed value.")
    public SensorHealthView get(@PathParam("id") UUID id) {
        return query.of(id);
    }
}
