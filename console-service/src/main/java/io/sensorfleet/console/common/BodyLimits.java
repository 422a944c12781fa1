package io.sensorfleet.console.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sensorfleet.console.platform.ProblemType;
import io.sensorfleet.protocol.v1.Problem;
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
 * Only the API upload may come without a length: it counts the bytes as they stream and stops at the
 * package limit. The web form's body is parsed and written to disk by the framework before the page
 * sees it, so it must announce its length (browsers always do), which {@code UploadGate} holds to the
 * package limit before a byte is read: a chunked web upload is refused unread like any other.
 */
@ApplicationScoped
public class BodyLimits {
    static final long MAX_BYTES = 1024 * 1024;
    /** Paths whose bodies are streamed to disk with their own limit. */
    private static final Set<String> STREAMED = Set.of("/api/v1/updates/packages", "/ui/updates/packages");
    /** Streamed paths that count the bytes themselves, so they may take a body without a length. */
    private static final Set<String> COUNTED = Set.of("/api/v1/updates/packages");

    private final ObjectMapper mapper;

    BodyLimits(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    void install(@Observes Router router) {
        router.route().order(-10).handler(ctx -> {
            String length = ctx.request().getHeader("Content-Length");
            boolean streamed = STREAMED.contains(ctx.request().path());
            boolean counted = COUNTED.contains(ctx.request().path());
            if (!counted && length == null && ctx.request().getHeader("Transfer-Encoding") != null) {
                // A body without a length (chunked) could only be limited by reading it, and it would be
                // read before authentication: refused unread. Every client sends a length for 1 MiB.
                Problem p = Problems.of(ProblemType.LENGTH_REQUIRED, "send the body with a Content-Length of at most "
                        + MAX_BYTES + " bytes", ctx.request().path());
                ctx.response().setStatusCode(p.status()).putHeader("Content-Type", Problem.MEDIA_TYPE)
                        .putHeader("Connection", "close").end(json(p));
                return;
            }
            if (length != null && !streamed && tooLong(length)) {
                Problem p = Problems.of(ProblemType.TOO_LARGE, "the body exceeds " + MAX_BYTES + " bytes",
                        ctx.request().path());
                ctx.response().setStatusCode(p.status()).putHeader("Content-Type", Problem.MEDIA_TYPE)
                        .putHeader("Connection", "close")
                        .end(json(p));
                return;
            }
            ctx.next();
        });
    }

    private String json(Problem p) {
        try {
            return mapper.writeValueAsString(p);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean tooLong(String length) {
        try {
            return Long.parseLong(length.strip()) > MAX_BYTES;
        } catch (NumberFormatException e) {
            return true;
        }
    }
}
