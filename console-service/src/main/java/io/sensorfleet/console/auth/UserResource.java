package io.sensorfleet.console.auth;

import io.sensorfleet.console.platform.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.UUID;

@Path("/api/v1/users")
@Tag(name = "Users")
@RolesAllowed(Role.ADMIN_NAME)
public class UserResource {

    public record CreateUser(@NotBlank @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9._@-]+") String username,
                             @NotNull @Size(max = 1024) String password, @NotNull Role role) {
    }

    /** Fields left out stay as they are. */
    public record UpdateUser(Role role, Boolean enabled) {
    }

    public record PasswordReset(@NotNull @Size(max = 1024) String password) {
    }

    @Inject
    UserService users;

    @GET
    @Operation(summary = "List users", description = "Every local user with role, state and lock.")
    public List<UserService.View> list() {
        return users.list();
    }

    @POST
    @Operation(summary = "Create a user", description = "Creates a local user with a role: ADMIN, "
            + "SECURITY_ANALYST or READ_ONLY. Passwords need at least 12 characters.")
    public Response create(@Valid @NotNull CreateUser u) {
        return Response.status(201).entity(users.create(u.username(), u.password(), u.role())).build();
    }

    @PATCH
    @Path("/{id}")
    @Operation(summary = "Change a user's role or state", description = "Changes the role and/or enables or "
            + "disables the user. A disabled user's tokens stop working at once; enabling also clears a lock.")
    public UserService.View update(@PathParam("id") UUID id, @Valid @NotNull UpdateUser u, @Context SecurityContext sc) {
        return users.update(id, u.role(), u.enabled(), sc.getUserPrincipal().getName());
    }

    @POST
    @Path("/{id}/password")
    @Operation(summary = "Reset a user's password", description = "Sets a new password for the user; the user's "
            + "existing tokens stop working and a lock is cleared.")
    public Response resetPassword(@PathParam("id") UUID id, @Valid @NotNull PasswordReset r) {
        users.resetPassword(id, r.password());
        return Response.noContent().build();
    }
}
