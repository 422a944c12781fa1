package io.sensorfleet.console.auth;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.sensorfleet.console.common.ProblemException;
import io.smallrye.jwt.build.Jwt;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Clock;
import java.time.Instant;
import java.util.Set;

@Path("/api/v1/auth")
@Tag(name = "Authentication")
public class LoginResource {

    /** Credentials of a local user. */
    public record LoginRequest(@NotBlank @Size(max = 128) String username, @NotNull @Size(max = 1024) String password) {
    }

    /** A bearer token and when it stops being accepted. */
    public record LoginResponse(String token, Instant expiresAt) {
    }

    @Inject
    JwtKeys keys;
    @Inject
    AuthConfig config;
    @Inject
    Clock clock;

    @POST
    @Path("/login")
    @PermitAll
    @Operation(summary = "Log in", description = "Exchanges a local user's name and password for a bearer token "
            + "(JWT) to send as 'Authorization: Bearer <token>' on every other /api/v1 call.")
    public LoginResponse login(@Valid @NotNull LoginRequest request) {
        User user = QuarkusTransaction.joiningExisting().call(() -> User.byUsername(request.username()).orElse(null));
        // Hash even for unknown users so response time does not reveal which names exist.
        boolean ok = PasswordHasher.matches(request.password(),
                user != null ? user.passwordHash : UNKNOWN_USER_HASH) && user != null && user.enabled;
        if (!ok) {
            throw new ProblemException(401, "invalid-credentials", "Invalid credentials",
                    "unknown user, wrong password or disabled account");
        }
        Instant now = clock.instant();
        Instant expires = now.plus(config.tokenLifetime());
        String token = Jwt.upn(user.username)
                .subject(user.id.toString())
                .groups(Set.of(user.role.name()))
                .issuedAt(now)
                .expiresAt(expires)
                .jws().algorithm(io.smallrye.jwt.algorithm.SignatureAlgorithm.ES256)
                .sign(keys.privateKey());
        return new LoginResponse(token, expires);
    }

    private static final String UNKNOWN_USER_HASH = PasswordHasher.hash("no such user");
}
