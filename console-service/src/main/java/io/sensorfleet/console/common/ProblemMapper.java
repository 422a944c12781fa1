package io.sensorfleet.console.common;

import io.sensorfleet.console.platform.ProblemType;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.sensorfleet.protocol.v1.Problem;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.stream.Collectors;

/**
 * The one place where exceptions become {@code application/problem+json}. Only 5xx are logged; no
 * stack trace ever reaches a client.
 */
public class ProblemMapper {
    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        Response r = respond(Problems.of(e, path(uri)));
        if (e.retryAfter() == null) {
            return r;
        }
        return Response.fromResponse(r).header("Retry-After", Math.max(1, e.retryAfter().toSeconds())).build();
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthorized(RuntimeException e, UriInfo uri) {
        return Response.fromResponse(respond(Problems.of(ProblemType.UNAUTHORIZED,
                        "a valid bearer token is required", path(uri))))
                .header("WWW-Authenticate", "Bearer").build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return respond(Problems.of(ProblemType.FORBIDDEN, "your role does not allow this", path(uri)));
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e, UriInfo uri) {
        String detail = e.getConstraintViolations().stream()
                .map(v -> lastNode(v.getPropertyPath().toString()) + ": " + v.getMessage())
                .sorted().collect(Collectors.joining("; "));
        return respond(Problems.of(ProblemType.INVALID_REQUEST, detail, path(uri)));
    }

    @ServerExceptionMapper({JsonProcessingException.class, MismatchedInputException.class, InvalidFormatException.class,
            ValueInstantiationException.class})
    public Response unreadable(JsonProcessingException e, UriInfo uri) {
        return respond(Problems.of(ProblemType.MALFORMED_JSON,
                "the request body is not valid JSON for this operation: " + e.getOriginalMessage(), path(uri)));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (status == 404 && e.getCause() != null) {
            // A query or path value that does not convert (size=abc, an unknown enum, a malformed UUID):
            // the request is wrong, the resource is not missing.
            return respond(Problems.of(ProblemType.INVALID_REQUEST, "a query or path parameter is malformed", path(uri)));
        }
        if (status >= 500) {
            LOG.error("request failed", e);
        }
        Response.Status known = Response.Status.fromStatusCode(status);
        return respond(Problems.ofHttpStatus(status, known == null ? "Error" : known.getReasonPhrase(),
                status >= 500 ? "internal error" : e.getMessage(), path(uri)));
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e, UriInfo uri) {
        if (databaseUnreachable(e)) {
            // Like the agent plane: the client did nothing wrong and may retry shortly.
            LOG.warn("request refused: the database is unreachable (" + e + ")");
            return problem(new ProblemException(ProblemType.DATABASE_UNAVAILABLE,
                    "the console cannot reach its database; try again shortly").withRetryAfter(DATABASE_RETRY), uri);
        }
        if (unstorableText(e)) {
            // Backstop behind the input rules: text PostgreSQL refuses (a NUL) is the client's error.
            return respond(Problems.of(ProblemType.INVALID_REQUEST,
                    "the request holds text that cannot be stored (NUL or invalid characters)", path(uri)));
        }
        LOG.error("unexpected error", e);
        return respond(Problems.of(ProblemType.INTERNAL_ERROR,
                "the console could not complete the request; see its log", path(uri)));
    }

    private static final java.time.Duration DATABASE_RETRY = java.time.Duration.ofSeconds(10);

    /** A connection that could not be made or was lost (SQLSTATE class 08, or the pool timing out to get one). */
    static boolean databaseUnreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLTransientConnectionException || t instanceof java.sql.SQLNonTransientConnectionException
                    || t instanceof java.net.ConnectException
                    || t instanceof java.sql.SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")
                    || t.getClass().getName().equals("org.hibernate.exception.JDBCConnectionException")
                    || t instanceof java.sql.SQLException && String.valueOf(t.getMessage()).contains("Acquisition timeout")) {
                return true;
            }
        }
        return false;
    }

    private static boolean unstorableText(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql && ("22021".equals(sql.getSQLState()) || "22P05".equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    private static Response respond(Problem p) {
        return Response.status(p.status()).type(Problem.MEDIA_TYPE).entity(p).build();
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : "/" + uri.getPath().replaceFirst("^/", "");
    }

    private static String lastNode(String propertyPath) {
        int dot = propertyPath.lastIndexOf('.');
        return dot < 0 ? propertyPath : propertyPath.substring(dot + 1);
    }
}
