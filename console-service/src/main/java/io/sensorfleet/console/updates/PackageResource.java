package io.sensorfleet.console.updates;

import io.sensorfleet.console.platform.AuditContext;
import io.sensorfleet.console.platform.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.InputStream;
import java.util.List;
import java.util.UUID;

/** Update packages: upload (checked completely before it is stored), list, look at, delete. */
@Path("/api/v1/updates/packages")
@Tag(name = "Software updates")
public class PackageResource {
    @Inject
    PackageStore store;
    @Inject
    UpdateQuery query;
    @Inject
    RolloutService rollouts;
    @Inject
    AuditContext audit;

    @POST
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(summary = "Upload an update package", description = "The body is the package file "
            + "(application/octet-stream), streamed to storage. It is stored only when it is a package tar whose "
            + "manifest is signed by a trusted vendor key, whose payload matches the manifest's SHA-256, whose version "
            + "is not yet stored and not newer than the console's. Each refusal has its own problem type: "
            + "package-unsigned, package-unknown-key, package-bad-signature, package-digest-mismatch, "
            + "package-malformed-manifest, package-malformed, package-truncated, package-too-large (413), "
            + "duplicate-version (409), version-newer-than-console. Answers 201 with the package.")
    public Response upload(InputStream body, @Context SecurityContext sc) {
        PackageStore.Stored s = store.upload(body, sc.getUserPrincipal().getName());
        audit.target("update-package:" + s.id());
        audit.detail("version " + s.manifest().version() + ", key " + s.keyId());
        return Response.status(201).entity(query.pkg(s.id())).build();
    }

    @GET
    @RolesAllowed({Role.ADMIN_NAME, Role.ANALYST_NAME, Role.READ_ONLY_NAME})
    @Operation(summary = "List update packages", description = "Every uploaded package, newest upload first, with "
            + "its manifest (version, the versions it applies to, whether it needs a new activation file).")
    public List<UpdateViews.Package> list() {
        return query.packages();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Role.ADMIN_NAME, Role.ANALYST_NAME, Role.READ_ONLY_NAME})
    @Operation(summary = "Get an update package", description = "One package with its manifest, size, SHA-256 and "
            + "the key that signed it.")
    public UpdateViews.Package get(@PathParam("id") UUID id) {
        return query.pkg(id);
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(summary = "Delete an update package", description = "Deletes the package, its file and its finished "
            + "rollouts. Refused (409 rollout-state) while a rollout of it is running, paused or halted.")
    public Response delete(@PathParam("id") UUID id) {
        audit.target("update-package:" + id);
        rollouts.deletePackage(id);
        return Response.noContent().build();
    }
}
