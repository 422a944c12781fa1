package io.sensorfleet.console.security;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.net.URI;

/**
 * The browser-facing headers of every operator-plane response, set in one place so that no page,
 * API operation, static file or error can forget them:
 * <ul>
 *   <li>Content-Security-Policy: scripts, styles and everything else from the console itself only,
 *   no inline script, no plugins, no framing ({@code frame-ancestors 'none'}, and X-Frame-Options
 *   for older browsers) — stored text that slipped through escaping still cannot run;</li>
 *   <li>Strict-Transport-Security: browsers keep to HTTPS for a year;</li>
 *   <li>X-Content-Type-Options nosniff and Referrer-Policy same-origin (not no-referrer: with it browsers send {@code Origin: null} on same-origin form posts, which the CSRF origin check must refuse);</li>
 *   <li>Cache-Control no-store on /ui and /api: pages and answers with fleet data are not kept by
 *   browsers or proxies.</li>
 * </ul>
 * Redirects never send a client back to the host it claimed: a Location naming the request's own
 * Host header is made relative, so a forged Host ({@code evil.example}) is not echoed.
 */
@ApplicationScoped
public class SecurityHeaders {
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    void install(@Observes Router router) {
        router.route().order(-20).handler(ctx -> {
            HttpServerRequest request = ctx.request();
            ctx.addHeadersEndHandler(v -> {
                MultiMap h = ctx.response().headers();
                h.set("Content-Security-Policy", CSP);
                h.set("X-Frame-Options", "DENY");
                h.set("Strict-Transport-Security", "max-age=31536000");
                h.set("X-Content-Type-Options", "nosniff");
                h.set("Referrer-Policy", "same-origin");
                String path = request.path();
                if (path != null && (path.equals("/ui") || path.startsWith("/ui/") || path.startsWith("/api/"))) {
                    h.set("Cache-Control", "no-store");
                }
                String location = h.get("Location");
                if (location != null) {
                    h.set("Location", ownHostRelative(location, request.getHeader("Host")));
                }
            });
            ctx.next();
        });
    }

    static String ownHostRelative(String location, String host) {
        try {
            URI u = URI.create(location.strip());
            if (!u.isAbsolute() || u.getRawAuthority() == null) {
                return location;
            }
            if (host != null && !u.getRawAuthority().equalsIgnoreCase(host.strip())) {
                return location;
            }
            String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
            return u.getRawQuery() == null ? path : path + "?" + u.getRawQuery();
        } catch (IllegalArgumentException e) {
            return "/";
        }
    }
}
