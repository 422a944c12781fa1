package io.sensorfleet.console.web.pages;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.sensorfleet.console.platform.AuditContext;
import io.sensorfleet.console.auth.ApiTokenResource;
import io.sensorfleet.console.auth.ApiTokenService;
import io.sensorfleet.console.platform.Role;
import io.sensorfleet.console.auth.UserResource;
import io.sensorfleet.console.auth.UserService;
import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.console.web.Forms;
import io.sensorfleet.console.web.Web;
import io.sensorfleet.console.web.session.WebUser;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestForm;

import java.time.Duration;
import java.util.UUID;

/** Local users and API tokens; Admin only, as in the REST API. */
@Path("/ui/users")
@PermitAll
@Produces(MediaType.TEXT_HTML)
public class UsersPage {
    private static final String BACK = "/ui/users";

    @Inject
    WebUser ui;
    @Inject
    Web web;
    @Inject
    UserService users;
    @Inject
    ApiTokenService tokens;
    @Inject
    AuditContext audit;
    @Inject
    @Location("web/users.html")
    Template page;

    @GET
    public TemplateInstance show() {
        ui.require(Role.ADMIN);
        return page(null);
    }

    @POST
    @Operation(summary = "Create a user")
    public Response create(@RestForm String username, @RestForm String password, @RestForm String role) {
        ui.require(Role.ADMIN);
        return web.act(BACK, () -> {
            var r = web.valid(new UserResource.CreateUser(Forms.text(username), password, role(role)));
            return "User " + users.create(r.username(), r.password(), r.role()).username() + " created";
        });
    }

    @POST
    @Path("/update")
    @Operation(summary = "Change a user's role or state")
    public Response update(@RestForm String id, @RestForm String role, @RestForm String enabled) {
        ui.require(Role.ADMIN);
        return web.act(BACK, () -> {
            UUID user = Forms.requiredUuid("id", id);
            audit.target("user:" + user);
            Boolean on = Forms.text(enabled) == null ? null : Boolean.valueOf("true".equals(enabled));
            UserService.View v = users.update(user, Forms.text(role) == null ? null : role(role), on, ui.username());
            return "User " + v.username() + ": " + v.role() + (v.enabled() ? ", enabled" : ", disabled");
        });
    }

    @POST
    @Path("/password")
    @Operation(summary = "Reset a user's password")
    public Response resetPassword(@RestForm String id, @RestForm String password) {
        ui.require(Role.ADMIN);
        return web.act(BACK, () -> {
            UUID user = Forms.requiredUuid("id", id);
            audit.target("user:" + user);
            users.resetPassword(user, web.valid(new UserResource.PasswordReset(password)).password());
            return "Password reset; the user's sessions and tokens stop working";
        });
    }

    @POST
    @Path("/tokens")
    @Operation(summary = "Create an API token")
    public Response createToken(@RestForm String description, @RestForm String role, @RestForm String expiresInDays) {
        ui.require(Role.ADMIN);
        try {
            Integer days;
            try {
                days = Forms.text(expiresInDays) == null ? null : Integer.valueOf(expiresInDays.strip());
            } catch (NumberFormatException e) {
                throw ProblemException.badRequest("expiresInDays: a whole number of days");
            }
            var r = web.valid(new ApiTokenResource.CreateToken(Forms.text(description), role(role), days));
            ApiTokenService.Created created = tokens.create(r.description(), r.role(), Duration.ofDays(r.expiresInDays()),
                    ui.username());
            audit.target("api-token:" + created.id());
            return web.shownOnce(page(created));
        } catch (ProblemException e) {
            return web.error(e.status(), e.title(), e.getMessage(), BACK);
        }
    }

    @POST
    @Path("/tokens/revoke")
    @Operation(summary = "Revoke an API token")
    public Response revokeToken(@RestForm String id) {
        ui.require(Role.ADMIN);
        return web.act(BACK, () -> {
            UUID token = Forms.requiredUuid("id", id);
            audit.target("api-token:" + token);
            return "API token " + tokens.revoke(token).description() + " revoked";
        });
    }

    private TemplateInstance page(ApiTokenService.Created created) {
        return page.data("nav", "users").data("users", users.list()).data("tokens", tokens.list())
                .data("roles", Role.values()).data("created", created);
    }

    private static Role role(String role) {
        try {
            return Role.valueOf(String.valueOf(role).strip());
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("role: one of ADMIN, SECURITY_ANALYST, READ_ONLY");
        }
    }
}
