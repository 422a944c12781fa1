package io.sensorfleet.console.web.session;

import io.sensorfleet.console.audit.AuditLog;
import io.sensorfleet.console.platform.Role;
import io.sensorfleet.console.updates.UpdatesConfig;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The web console's package upload is the one form allowed a large body (see the common body
 * limits). Before a byte of it is read — the form, CSRF token included, is only parsed after the
 * whole file is on disk — the request must carry a live session, and the length it announces must be
 * within the package limit (a body without a length, chunked, never gets here: the common body limits
 * refuse it unread, since nothing would stop it before the 2 GiB server-wide limit); anything else is refused at once, so nobody without a session can make
 * the console write a large file; the session must be an Admin's (the page checks again and audits).
 */
@ApplicationScoped
public class UploadGate {
    static final String PATH = "/ui/updates/packages";
    /** Room for the multipart boundaries and the other fields next to the file. */
    private static final long FORM_OVERHEAD = 64 * 1024;

    private final WebSessions sessions;
    private final UpdatesConfig updates;
    private final AuditLog audit;

    UploadGate(WebSessions sessions, UpdatesConfig updates, AuditLog audit) {
        this.sessions = sessions;
        this.updates = updates;
        this.audit = audit;
    }

    void install(@Observes Router router) {
        router.post(PATH).order(-9).handler(this::admit);
    }

    private void admit(RoutingContext ctx) {
        long length = length(ctx.request().getHeader("Content-Length"));
        if (length > updates.maxPackageBytes() + FORM_OVERHEAD) {
            refuse(ctx, 413, "Request too large: the package limit is " + updates.maxPackageBytes() + " bytes");
            return;
        }
        Cookie cookie = ctx.request().getCookie(SessionCookies.SESSION);
        String id = cookie == null ? null : cookie.getValue();
        ctx.request().pause();
        // Only an Admin may upload: any other session would make the console write the file before the
        // page could refuse it.
        String source = ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress();
        ctx.vertx().<Boolean>executeBlocking(() -> {
                    var session = sessions.resume(id, false, false);
                    if (session.isPresent() && session.get().role() != Role.ADMIN) {
                        audit.recordAlone(new AuditLog.Entry(session.get().username(), session.get().role().name(),
                                "Upload an update package", "POST", PATH, null, 403,
                                "refused before the upload was read: Admin only", source));
                        return false;
                    }
                    return session.isPresent();
                }, false)
                .onComplete(live -> {
                    if (live.succeeded() && live.result()) {
                        ctx.request().resume();
                        ctx.next();
                    } else {
                        refuse(ctx, 403, "Forbidden: log in to the web console as an Admin to upload a package");
                    }
                });
    }

    /** The announced length; 0 when none is announced (chunked), unreadable counts as too long. */
    private static long length(String header) {
        try {
            return header == null ? 0 : Long.parseLong(header.strip());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    private static void refuse(RoutingContext ctx, int status, String why) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "text/plain; charset=UTF-8")
                .putHeader("Connection", "close").end(why);
    }
}
