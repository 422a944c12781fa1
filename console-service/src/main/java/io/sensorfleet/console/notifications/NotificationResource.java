package io.sensorfleet.console.notifications;

import io.sensorfleet.console.platform.Role;
import io.sensorfleet.console.common.Page;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.UUID;

/** System notifications and sensor alerts, as recorded (forwarded or not). */
@Path("/api/v1/notifications")
@Tag(name = "Notifications")
@RolesAllowed({Role.ADMIN_NAME, Role.ANALYST_NAME, Role.READ_ONLY_NAME})
public class NotificationResource {
    @Inject
    NotificationService service;

    @GET
    @Operation(summary = "List notifications", description = "System notifications (sensor disconnected and "
            + "reconnected, clock drift, …) and sensor alerts, newest first. Filters combine with AND: category "
            + "(SYSTEM, ALERT), type, minimal severity, sensor, zone, suppressed (held back by a maintenance window) "
            + "and the period [from, to).")
    public Page<NotificationView> list(@QueryParam("category") NotificationCategory category,
                                       @QueryParam("type") NotificationType type,
                                       @QueryParam("minSeverity") Severity minSeverity,
                                       @QueryParam("sensorId") UUID sensorId,
                                       @QueryParam("zoneId") UUID zoneId,
                                       @QueryParam("suppressed") Boolean suppressed,
                                       @QueryParam("from") Instant from,
                                       @QueryParam("to") Instant to,
                                       @QueryParam("page") @DefaultValue("0") @Min(0) int page,
                                       @QueryParam("size") @DefaultValue("50") @Min(1) @Max(1000) int size) {
        return service.list(new NotificationFilter(category, type, minSeverity, sensorId, zoneId, suppressed, from, to),
                page, size);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get a notification", description = "One notification by its id, the id every forwarded "
            + "copy carries (CEF/LEEF externalId, RFC 5424 eventId, JSON eventId, webhook X-SensorFleet-Event-Id).")
    public NotificationView get(@PathParam("id") UUID id) {
        return service.get(id);
    }
}
