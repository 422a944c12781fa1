package io.sensorfleet.console.zones;

import io.sensorfleet.console.auth.Role;
import io.sensorfleet.console.common.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Zones, the unit sensors are assigned to. The site hierarchy above them comes with the operators issue. */
@Path("/api/v1/zones")
@Tag(name = "Zones")
public class ZoneResource {

    public record ZoneRequest(@NotBlank @Size(max = 100) String name, @Size(max = 1000) String description) {
    }

    public record ZoneView(UUID id, String name, String description, Instant createdAt) {
        static ZoneView of(Zone z) {
            return new ZoneView(z.id, z.name, z.description, z.createdAt);
        }
    }

    @Inject
    Clock clock;

    @POST
    @RolesAllowed(Role.ADMIN_NAME)
    @Transactional
    @Operation(summary = "Create a zone", description = "Creates a zone with a unique name. Sensors and "
            + "connection strings can then be assigned to it.")
    public Response create(@Valid @NotNull ZoneRequest request) {
        if (Zone.count("lower(name) = lower(?1)", request.name().strip()) > 0) {
            throw ProblemException.conflict("zone-exists", "a zone named '" + request.name().strip() + "' already exists");
        }
        Zone z = new Zone();
        z.id = UUID.randomUUID();
        z.name = request.name().strip();
        z.description = request.description();
        z.createdAt = clock.instant();
        z.persist();
        return Response.status(201).entity(ZoneView.of(z)).build();
    }

    @GET
    @RolesAllowed({Role.ADMIN_NAME, Role.ANALYST_NAME, Role.READ_ONLY_NAME})
    @Transactional(Transactional.TxType.SUPPORTS)
    @Operation(summary = "List zones", description = "Lists every zone, by name.")
    public List<ZoneView> list() {
        return Zone.<Zone>list("order by name").stream().map(ZoneView::of).toList();
    }
}
