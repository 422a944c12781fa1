package io.sensorfleet.console.web.session;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.sensorfleet.console.auth.LoginService;
import io.sensorfleet.console.auth.User;
import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.console.platform.AuditContext;
import io.sensorfleet.console.auth.SourceAddress;
import io.sensorfleet.console.security.TextRules;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestCookie;
import org.jboss.resteasy.reactive.RestForm;

import java.net.URI;

/**
 * Login and logout of the web console. The password check, its throttle and its audit row are the
 * REST API's ({@link LoginService#authenticate}); a success opens a session instead of issuing a token.
 */
@Path("/ui")
@PermitAll
@Produces(MediaType.TEXT_HTML)
public class LoginPage {
    @Inject
    LoginService logins;
    @Inject
    WebSessions sessions;
    @Inject
    AuditContext audit;
    @Inject
    WebUser ui;
    @Inject
    WebConfig config;
    @Inject
    @Location("web/login.html")
    Template login;

    @GET
    @Path("/login")
    public Response form() {
        try {
            ui.require();
            return Response.seeOther(URI.create("/ui")).build();
        } catch (LoginRequired notLoggedIn) {
            return page(200, null);
        }
    }

    @POST
    @Path("/login")
    @Operation(summary = "Log in to the web console")
    public Response login(@RestForm String username, @RestForm String password,
                          @RestCookie(SessionCookies.SESSION) String previous, @Context HttpServerRequest http) {
        if (username == null || username.isBlank() || username.length() > 128 || password == null
                || password.length() > 1024 || TextRules.checkName(username) != null || TextRules.checkText(password) != null) {
            audit.actor(username);
            audit.detail("refused: malformed user name or password");
            return page(400, "Enter your user name and password.");
        }
        User user;
        try {
            user = logins.authenticate(username.strip(), password, SourceAddress.of(http));
        } catch (ProblemException e) {
            Response r = page(e.status(), e.status() == 429 ? e.getMessage() : "Unknown user, wrong password or disabled account.");
            return e.retryAfter() == null ? r
                    : Response.fromResponse(r).header("Retry-After", Math.max(1, e.retryAfter().toSeconds())).build();
        }
        // A new id at every login (no session fixation); the one the browser had ends.
        sessions.close(previous);
        String id = sessions.open(user);
        return Response.seeOther(URI.create("/ui")).cookie(SessionCookies.cookie(SessionCookies.SESSION, id,
                config.secureCookie(), false), SessionCookies.cookie(SessionCookies.LOGIN_CSRF, null,
                config.secureCookie(), true)).build();
    }

    @POST
    @Path("/logout")
    @Operation(summary = "Log out of the web console")
    public Response logout(@RestCookie(SessionCookies.SESSION) String session) {
        try {
            ui.require();
            sessions.close(session);
        } catch (LoginRequired alreadyEnded) {
            // Nothing to close; the browser still gets its cookie cleared.
        }
        return Response.seeOther(URI.create("/ui/login"))
                .cookie(SessionCookies.cookie(SessionCookies.SESSION, null, config.secureCookie(), true)).build();
    }

    private Response page(int status, String error) {
        String token = SessionCookies.randomId();
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .cookie(SessionCookies.cookie(SessionCookies.LOGIN_CSRF, token, config.secureCookie(), false))
                .entity(login.data("csrf", token).data("error", error).render()).build();
    }
}
