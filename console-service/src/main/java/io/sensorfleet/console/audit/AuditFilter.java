package io.sensorfleet.console.audit;

import io.sensorfleet.console.platform.AuditContext;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import java.lang.reflect.Method;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every mutating operator request (POST, PUT, PATCH, DELETE under /api/v1, and the web console's
 * form posts under /ui, whose actor comes from the session) leaves exactly one
 * audit row — who, when, what (the operation's summary), target, result (HTTP status), source
 * address — whether it succeeded, failed validation or was refused. Being a filter, it covers
 * endpoints added later without each remembering to write one.
 */
public class AuditFilter {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(AuditFilter.class);
    private static final Set<String> MUTATING = Set.of("POST", "PUT", "PATCH", "DELETE");

    @Inject
    AuditLog log;
    @Inject
    AuditContext context;

    @ServerResponseFilter
    public Uni<Void> afterResponse(ContainerRequestContext request, ContainerResponseContext response,
                                   ResourceInfo resource, HttpServerRequest http) {
        String path = request.getUriInfo().getPath();
        if (!MUTATING.contains(request.getMethod()) || !(path.startsWith("/api/v1/") || path.startsWith("/ui/"))) {
            return Uni.createFrom().voidItem();
        }
        SecurityContext sc = request.getSecurityContext();
        String actor = sc != null && sc.getUserPrincipal() != null ? sc.getUserPrincipal().getName() : context.actor();
        String role = sc == null || sc.getUserPrincipal() == null ? null
                : sc.isUserInRole("ADMIN") ? "ADMIN" : sc.isUserInRole("SECURITY_ANALYST") ? "SECURITY_ANALYST"
                : sc.isUserInRole("READ_ONLY") ? "READ_ONLY" : null;
        if (role == null) {
            role = context.actorRole();
        }
        AuditLog.Entry entry = new AuditLog.Entry(actor == null ? "anonymous" : actor, role, action(resource, request),
                request.getMethod(), path, target(request), response.getStatus(), context.detail(),
                http == null || http.remoteAddress() == null ? null : http.remoteAddress().hostAddress());
        if (!Context.isOnEventLoopThread()) {
            recordOrLog(entry);
            return Uni.createFrom().voidItem();
        }
        // Refusals made before dispatch (e.g. 403 from the role check) arrive on the event loop: write off it,
        // and answer only once the row exists.
        return Uni.createFrom().item(() -> {
            recordOrLog(entry);
            return true;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool()).replaceWithVoid();
    }

    /**
     * A row that cannot be written (the database is down) must not turn the answer into a bare 500:
     * the request has already failed or been answered, and the entry goes to the log instead.
     */
    private void recordOrLog(AuditLog.Entry entry) {
        try {
            log.recordAlone(entry);
        } catch (RuntimeException e) {
            LOG.error("audit row not written (" + e + "): " + entry);
        }
    }

    private String target(ContainerRequestContext request) {
        if (context.target() != null) {
            return context.target();
        }
        var params = request.getUriInfo().getPathParameters();
        return params.isEmpty() ? null : params.entrySet().stream()
                .map(e -> e.getKey() + "=" + String.join(",", e.getValue())).collect(Collectors.joining(" "));
    }

    private static String action(ResourceInfo resource, ContainerRequestContext request) {
        Method m = resource == null ? null : resource.getResourceMethod();
        if (m == null) {
            return request.getMethod() + " " + request.getUriInfo().getPath();
        }
        Operation op = m.getAnnotation(Operation.class);
        return op != null && !op.summary().isBlank() ? op.summary()
                : m.getDeclaringClass().getSimpleName() + "." + m.getName();
    }
}
