package io.sensorfleet.console.common;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.Set;

/**
 * The operator plane's HTTP body limit ({@code quarkus.http.limits.max-body-size}) is raised for the
 * streamed uploads (update packages, through the API or the web console's form); every other request still gets 413 past {@value #MAX_BYTES}
 * bytes announced, as before, ahead of any resource that would buffer it, and a body without a length
 * (chunked) is refused with 411 before a byte of it is read. The streamed paths are guarded before
 * their bodies are read: the API upload is read only after its token and role are checked, the web
 * console's only for an Admin session ({@code UploadGate}), and each streams under its own package limit.
 */
@ApplicationScoped
public class BodyLimits {
    static final long MAX_BYTES = 1024 * 1024;
    /** Paths whose bodies are streamed to disk with their own limit. */
    private static final Set<String> STREAMED = Set.of("/api/v1/updates/packages", "/ui/updates/packages");

    void install(@Observes Router router) {
        router.route().order(-10).handler(ctx -> {
            String length = ctx.request().getHeader("Content-Length");
            boolean streamed = STREAMED.contains(ctx.request().path());
            if (!streamed && length == null && ctx.request().getHeader("Transfer-Encoding") != null) {
                // A body without a length (chunked) could only be limited by reading it, and it would be
                // read before authentication: refused unread. Every client sends a length for 1 MiB.
                ctx.response().setStatusCode(411).putHeader("Content-Type", "application/problem+json")
                        .putHeader("Connection", "close")
                        .end("{\"type\":\"urn:sensorfleet:problem:length-required\",\"title\":\"Length required\","
                                + "\"status\":411,\"detail\":\"send the body with a Content-Length of at most " + MAX_BYTES
                                + " bytes\"}");
                return;
            }
            if (length != null && !streamed && tooLong(length)) {
                ctx.response().setStatusCode(413).putHeader("Content-Type", "application/problem+json")
                        .putHeader("Connection", "close")
                        .end("{\"type\":\"urn:sensorfleet:problem:too-large\",\"title\":\"Request too large\","
                                + "\"status\":413,\"detail\":\"the body exceeds " + MAX_BYTES + " bytes\"}");
                return;
            }
            ctx.next();
        });
    }

    private static boolean tooLong(String length) {
        try {
            return Long.parseLong(length.strip()) > MAX_BYTES;
        } catch (NumberFormatException e) {
            return true;
        }
    }
}
