package io.sensorfleet.console.web;

import io.sensorfleet.console.web.session.LoginRequired;
import io.sensorfleet.console.web.session.NotAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.net.URI;

/** How the web console's own refusals reach a browser: to the login page, or a 403 page. */
public class WebErrors {
    @Inject
    Web web;

    @ServerExceptionMapper
    public Response loginRequired(LoginRequired e, HttpHeaders headers) {
        if (headers.getHeaderString("HX-Request") != null) {
            // htmx would swap the login page into a fragment; make it load the whole page instead.
            return Response.ok().header("HX-Redirect", "/ui/login").build();
        }
        return Response.seeOther(URI.create("/ui/login")).build();
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowed e) {
        return web.error(403, "Forbidden", e.getMessage(), "/ui");
    }
}
