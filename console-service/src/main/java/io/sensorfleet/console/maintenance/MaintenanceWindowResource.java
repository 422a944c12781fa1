package io.sensorfleet.console.maintenance;

import io.sensorfleet.console.platform.Role;
import io.sensorfleet.console.common.Page;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Maintenance windows: hold back forwarding for sensors under work. */
@Path("/api/v1/maintenance-windows")
@Tag(name = "Maintenance windows")
public class MaintenanceWindowResource {
    private static final String TICKET = "[\\p{Alnum}][\\p{Alnum}._:/#-]{0,99}";

    /**
     * @param ticketId   the change ticket the work is done under; one open window per ticket
     * @param ttlMinutes how long the window stays open unless closed earlier
     * @param sensorIds  the sensors under maintenance
     * @param engines    optional: hold back only alerts from these detection engines
     */
    public record OpenRequest(@NotBlank @Pattern(regexp = TICKET, message = "letters, digits and . _ : / # - only, at most 100")
                              String ticketId,
                              @NotNull @Min(1) Integer ttlMinutes,
                              @NotEmpty @Size(max = 10000) List<@NotNull UUID> sensorIds,
                              @Size(max = 50) List<@NotBlank @Size(max = 100) String> engines) {
    }

    /** @param ttlMinutes the window then ends this many minutes from now */
    public record ExtendRequest(@NotNull @Min(1) Integer ttlMinutes) {
    }

    @Inject
    MaintenanceWindows service;

    @POST
    @RolesAllowed({Role.ADMIN_NAME, Role.ANALYST_NAME})
    @Operation(summary = "Open a maintenance window", description = "Opens a window for a ticket: for ttlMinutes, "
            + "notifications of the listed sensors are still recorded but not forwarded to SIEMs (with engines: only "
            + "their alerts from those engines). A ticket that already has an open window gives 409.")
    public Response open(@Valid @NotNull OpenRequest r, @Context SecurityContext sc) {
        MaintenanceWindowView w = service.open(new MaintenanceWindows.Spec(r.ticketId(),
                Duration.ofMinutes(r.ttlMinutes()), r.sensorIds(), r.engines()), sc.getUserPrincipal().getName());
        return Response.status(201).entity(w).build();
    }

    @PUT
    @Path("/{ticketId}")
    @RolesAllowed({Role.ADMIN_NAME, Role.ANALYST_NAME})
    @Operation(summary = "Extend a maintenance window", description = "Sets the open window of the ticket to end "
            + "ttlMinutes from now (to extend it, or to shorten it). 404 when the ticket has no open window.")
    public MaintenanceWindowView extend(@PathParam("ticketId") String ticketId, @Valid @NotNull ExtendRequest r,
                                        @Context SecurityContext sc) {
        return service.extend(ticketId, Duration.ofMinutes(r.ttlMinutes()), sc.getUserPrincipal().getName());
    }

    @DELETE
    @Path("/{ticketId}")
    @RolesAllowed({Role.ADMIN_NAME, Role.ANALYST_NAME})
    @Operation(summary = "Close a maintenance window", description = "Closes the open window of the ticket now: "
            + "notifications of its sensors are forwarded again from this moment. 404 when the ticket has no open window.")
    public MaintenanceWindowView close(@PathParam("ticketId") String ticketId, @Context SecurityContext sc) {
        return service.close(ticketId, sc.getUserPrincipal().getName());
    }

    @GET
    @RolesAllowed({Role.ADMIN_NAME, Role.ANALYST_NAME, Role.READ_ONLY_NAME})
    @Operation(summary = "List maintenance windows", description = "Open and past windows, newest first, each with "
            + "its history (opened, extended, closed, expired: when, by whom, until when). Filters: state, ticket, "
            + "sensor, and the period [from, to] the window overlaps.")
    public Page<MaintenanceWindowView> list(@QueryParam("state") MaintenanceWindowView.State state,
                                            @QueryParam("ticketId") @Size(max = 100) String ticketId,
                                            @QueryParam("sensorId") UUID sensorId,
                                            @QueryParam("from") Instant from,
                                            @QueryParam("to") Instant to,
                                            @QueryParam("page") @DefaultValue("0") @Min(0) int page,
                                            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(500) int size) {
        return service.list(new MaintenanceWindows.Filter(state, ticketId, sensorId, from, to), page, size);
    }
}
