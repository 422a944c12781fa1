package io.sensorfleet.console.activation;

import io.sensorfleet.console.platform.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

@Path("/api/v1/activation/keys")
@Tag(name = "Activation")
public class ActivationKeyResource {
    @Inject
    ActivationKeys keys;

    @GET
    @RolesAllowed({Role.ADMIN_NAME, Role.ANALYST_NAME, Role.READ_ONLY_NAME})
    @Transactional
    @Operation(summary = "List activation keys", description = "The public keys activation files are signed with; "
            + "unretired ones are trusted by sensors. Publish them to verify files offline.")
    public List<ActivationKeys.KeyView> list() {
        return keys.all();
    }

    @POST
    @RolesAllowed(Role.ADMIN_NAME)
    @Transactional
    @Operation(summary = "Rotate the activation key", description = "Creates a new signing key. Older keys stay "
            + "trusted, so files already issued remain valid until their key is retired.")
    public Response rotate() {
        return Response.status(201).entity(keys.rotate()).build();
    }

    @DELETE
    @Path("/{kid}")
    @RolesAllowed(Role.ADMIN_NAME)
    @Transactional
    @Operation(summary = "Retire an activation key", description = "Stops trusting a key: files signed with it are "
            + "refused from now on. The last trusted key cannot be retired.")
    public ActivationKeys.KeyView retire(@PathParam("kid") String kid) {
        return keys.retire(kid);
    }
}
