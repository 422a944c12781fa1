package io.sensorfleet.console.web;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.console.web.session.WebSessions;
import io.sensorfleet.console.web.session.WebUser;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * What every page does after a form post: run the change through the feature's service, then
 * redirect (post/redirect/get) with a one-time message, or answer the service's refusal as an
 * HTML page with the same status the REST API would have given.
 */
@ApplicationScoped
public class Web {
    @Inject
    WebUser ui;
    @Inject
    WebSessions sessions;
    @Inject
    Validator validator;
    @Inject
    @Location("web/error.html")
    Template error;

    /** Runs {@code action} (which answers the message to show) and redirects to {@code back}. */
    public Response act(String back, Supplier<String> action) {
        try {
            String message = action.get();
            sessions.flash(ui.require().idHash(), message);
            return Response.seeOther(URI.create(back)).build();
        } catch (ProblemException e) {
            return error(e.status(), e.title(), e.getMessage(), back);
        }
    }

    /** The same Bean Validation rules the REST API applies to this request record. */
    public <T> T valid(T request) {
        Set<ConstraintViolation<T>> violations = validator.validate(request);
        if (!violations.isEmpty()) {
            throw ProblemException.badRequest(violations.stream()
                    .map(v -> v.getPropertyPath() + ": " + v.getMessage()).sorted().collect(Collectors.joining("; ")));
        }
        return request;
    }

    /**
     * A page holding a secret shown this once (a connection string, an API token): answered to
     * the post itself, not kept for a redirect, and not cached.
     */
    public Response shownOnce(io.quarkus.qute.TemplateInstance page) {
        return Response.status(201).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).header("Cache-Control", "no-store")
                .entity(page.render()).build();
    }

    public Response error(int status, String title, String detail, String back) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(error.data("status", status).data("title", title).data("detail", detail).data("back", back)
                        .render()).build();
    }
}
