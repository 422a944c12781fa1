package io.sensorfleet.console.enrollment;

import io.sensorfleet.console.platform.Role;
import io.sensorfleet.console.common.Page;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.Context;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

@Path("/api/v1/connection-strings")
@Tag(name = "Connection strings")
public class ConnectionStringResource {
    private static final String READERS_ADMIN = Role.ADMIN_NAME;

    /**
     * @param description free text shown in lists, e.g. the site the sensor goes to
     * @param zoneId      zone the enrolling sensor is assigned to; optional
     * @param ttlSeconds  how long the token may be used; default 24 h
     */
    public record CreateRequest(@Size(max = 500) String description, UUID zoneId,
                                @Min(60) Long ttlSeconds) {
        ConnectionStringService.Spec spec() {
            return new ConnectionStringService.Spec(description, zoneId,
                    ttlSeconds == null ? null : Duration.ofSeconds(ttlSeconds));
        }
    }

    /** @param count how many connection strings to create, each with its own token */
    public record BatchRequest(@Size(max = 500) String description, UUID zoneId, @Min(60) Long ttlSeconds,
                               @NotNull @Min(1) @Max(10000) Integer count) {
    }

    @Inject
    ConnectionStringService service;

    @POST
    @RolesAllowed(READERS_ADMIN)
    @Operation(summary = "Create a connection string", description = "Creates a one-time enrollment token and "
            + "returns the connection string that carries it together with the console's agent-plane addresses and "
            + "CA fingerprint. The token is shown only in this response.")
    public Response create(@Valid CreateRequest request, @Context SecurityContext sc) {
        CreateRequest r = request == null ? new CreateRequest(null, null, null) : request;
        return Response.status(201).entity(service.create(r.spec(), 1, sc.getUserPrincipal().getName()).get(0)).build();
    }

    @POST
    @Path("/batch")
    @RolesAllowed(READERS_ADMIN)
    @Operation(summary = "Create many connection strings", description = "Creates 'count' connection strings at "
            + "once (one per sensor to install), each with its own one-time token, shown only in this response.")
    public Response createMany(@Valid @NotNull BatchRequest r, @Context SecurityContext sc) {
        var spec = new CreateRequest(r.description(), r.zoneId(), r.ttlSeconds()).spec();
        List<ConnectionStringService.Created> created = service.create(spec, r.count(), sc.getUserPrincipal().getName());
        return Response.status(201).entity(created).build();
    }

    @GET
    @RolesAllowed({Role.ADMIN_NAME, Role.ANALYST_NAME, Role.READ_ONLY_NAME})
    @Operation(summary = "List connection strings", description = "Lists connection strings, newest first, "
            + "optionally by status (ACTIVE, USED, EXPIRED, REVOKED). Tokens are never shown again.")
    public Page<ConnectionStringService.View> list(@QueryParam("status") TokenStatus status,
                                                   @QueryParam("page") @DefaultValue("0") @Min(0) int page,
                                                   @QueryParam("size") @DefaultValue("50") @Min(1) @Max(500) int size) {
        return service.list(status, page, size);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Role.ADMIN_NAME, Role.ANALYST_NAME, Role.READ_ONLY_NAME})
    @Operation(summary = "Get a connection string", description = "Status of one connection string: when it "
            + "expires, and when and by which sensor it was used.")
    public ConnectionStringService.View get(@PathParam("id") UUID id) {
        return service.get(id);
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(READERS_ADMIN)
    @Operation(summary = "Revoke a connection string", description = "Revokes an unused connection string so its "
            + "token can no longer enroll a sensor. A used one cannot be revoked (409): delete the sensor instead.")
    public ConnectionStringService.View revoke(@PathParam("id") UUID id) {
        return service.revoke(id);
    }
}
