package io.sensorfleet.console.auth;

import io.quarkus.security.Authenticated;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;

@Path("/api/v1/auth")
@Tag(name = "Authentication")
public class LoginResource {

    /** Credentials of a local user. */
    public record LoginRequest(@NotBlank @Size(max = 128) String username, @NotNull @Size(max = 1024) String password) {
    }

    /** A bearer token and when it stops being accepted. */
    public record LoginResponse(String token, Instant expiresAt) {
    }

    /** A user's own password change. */
    public record PasswordChange(@NotNull @Size(max = 1024) String currentPassword,
                                 @NotNull @Size(max = 1024) String newPassword) {
    }

    @Inject
    LoginService logins;
    @Inject
    UserService users;

    @POST
    @Path("/login")
    @PermitAll
    @Operation(summary = "Log in", description = "Exchanges a local user's name and password for a bearer token "
            + "(JWT) to send as 'Authorization: Bearer <token>' on every other /api/v1 call. After 10 failed "
            + "attempts for a name from one address, or 30 from one address for any names, that address gets 429 with "
            + "Retry-After for up to 15 minutes; other addresses are not affected.")
    public LoginResponse login(@Valid @NotNull LoginRequest request, @Context HttpServerRequest http) {
        LoginService.Session s = logins.login(request.username(), request.password(), SourceAddress.of(http));
        return new LoginResponse(s.token(), s.expiresAt());
    }

    @POST
    @Path("/password")
    @Authenticated
    @Operation(summary = "Change own password", description = "Changes the password of the user calling, who "
            + "must give the current one. Tokens issued before the change stop working.")
    public Response changeOwnPassword(@Valid @NotNull PasswordChange change, @Context SecurityContext sc) {
        users.changeOwnPassword(sc.getUserPrincipal().getName(), change.currentPassword(), change.newPassword());
        return Response.noContent().build();
    }
}
