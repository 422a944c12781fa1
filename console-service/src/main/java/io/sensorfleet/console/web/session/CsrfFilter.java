package io.sensorfleet.console.web.session;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.WithFormRead;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.spi.ServerRequestContext;

import java.net.URI;

/**
 * Every state-changing web console request must carry the CSRF token of its session (the hidden
 * form field, or the header htmx sends); the login form carries the token of its pre-login cookie.
 * A request without it, or with another one, is refused with 403 before any handler runs, so
 * nothing changes. Requests from another origin are refused too (defence in depth next to the
 * SameSite=Strict cookies).
 */
public class CsrfFilter {

    @ServerRequestFilter
    @WithFormRead
    public Response check(ContainerRequestContext request, ServerRequestContext server) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("/ui") || "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod())) {
            return null;
        }
        if (!sameOrigin(request)) {
            return refuse("cross-origin request refused");
        }
        boolean login = "/ui/login".equals(path);
        Cookie cookie = request.getCookies().get(login ? SessionCookies.LOGIN_CSRF : SessionCookies.SESSION);
        if (cookie == null || cookie.getValue().isBlank()) {
            return login ? refuse("the login form expired; reload the page") : null;
        }
        String expected = login ? cookie.getValue() : SessionCookies.csrfOf(cookie.getValue());
        String given = request.getHeaderString(SessionCookies.CSRF_HEADER);
        if (given == null) {
            Object field = ((ResteasyReactiveRequestContext) server).getFormParameter(SessionCookies.CSRF_FIELD, true, false);
            given = field == null ? null : field.toString();
        }
        return SessionCookies.same(expected, given) ? null : refuse("missing or wrong CSRF token");
    }

    /** The Origin a browser sends must name this console as the request reached it (HTTP/2 has no Host header). */
    private static boolean sameOrigin(ContainerRequestContext request) {
        String origin = request.getHeaderString("Origin");
        if (origin == null || origin.isBlank()) {
            return true;
        }
        try {
            URI o = URI.create(origin.strip());
            URI self = request.getUriInfo().getBaseUri();
            return o.getHost() != null && o.getHost().equalsIgnoreCase(self.getHost())
                    && port(o) == port(self) && String.valueOf(o.getScheme()).equalsIgnoreCase(self.getScheme());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static int port(URI u) {
        return u.getPort() >= 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    private static Response refuse(String why) {
        return Response.status(403).type(MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8")).entity("Forbidden: " + why).build();
    }
}
