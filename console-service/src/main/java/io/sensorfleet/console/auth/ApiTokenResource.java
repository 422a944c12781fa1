package io.sensorfleet.console.auth;

import io.sensorfleet.console.platform.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

@Path("/api/v1/api-tokens")
@Tag(name = "API tokens")
@RolesAllowed(Role.ADMIN_NAME)
public class ApiTokenResource {

    public record CreateToken(@NotBlank @Size(max = 200) String description, @NotNull Role role,
                              @NotNull @Min(1) @Max(3650) Integer expiresInDays) {
    }

    @Inject
    ApiTokenService tokens;

    @POST
    @Operation(summary = "Create an API token", description = "Creates a token for scripts with a role and an "
            + "expiry. The token (send it as 'Authorization: Bearer <token>') is in this response only.")
    public Response create(@Valid @NotNull CreateToken t, @Context SecurityContext sc) {
        return Response.status(201).entity(tokens.create(t.description(), t.role(),
                Duration.ofDays(t.expiresInDays()), sc.getUserPrincipal().getName())).build();
    }

    @GET
    @Operation(summary = "List API tokens", description = "Every API token with its role, expiry, last use and "
            + "revocation; never the token itself.")
    public List<ApiTokenService.View> list() {
        return tokens.list();
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Revoke an API token", description = "Revokes the token: the next call made with it "
            + "gets 401, on every console instance.")
    public ApiTokenService.View revoke(@PathParam("id") UUID id) {
        return tokens.revoke(id);
    }
}
