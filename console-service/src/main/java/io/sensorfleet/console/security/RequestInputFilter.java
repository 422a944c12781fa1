package io.sensorfleet.console.security;

import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.console.platform.ProblemType;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks what every operator-plane request carries outside its body, before any resource sees it:
 * path and query parameters obey {@link TextRules}; {@code page} and {@code size} are numbers in
 * range (so no offset arithmetic overflows); a body sent to an API operation that does not name
 * its own media type must be JSON (415 otherwise: text/plain is not read as a name). Each refusal
 * is a 4xx problem and changes nothing.
 */
public class RequestInputFilter {
    /** Far beyond any real list; keeps {@code page * size} well inside an int for every page size. */
    static final int MAX_PAGE = 1_000_000;
    static final int MAX_SIZE = 1000;
    private static final Set<String> WITH_BODY = Set.of("POST", "PUT", "PATCH");

    @ServerRequestFilter
    public void check(ContainerRequestContext request, ResourceInfo resource) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("/api/") && !path.startsWith("/ui")) {
            return;
        }
        String bad = TextRules.checkName(path);
        if (bad != null) {
            throw ProblemException.badRequest("path: " + bad);
        }
        checkAll("path parameter ", request.getUriInfo().getPathParameters());
        Map<String, List<String>> query = request.getUriInfo().getQueryParameters();
        checkAll("", query);
        bounded(query, "page", 0, MAX_PAGE);
        bounded(query, "size", 1, MAX_SIZE);
        if (path.startsWith("/api/") && WITH_BODY.contains(request.getMethod()) && hasBody(request)
                && !declaresMediaType(resource) && !isJson(request.getMediaType())) {
            throw new ProblemException(ProblemType.UNSUPPORTED_MEDIA_TYPE, "send the body as application/json");
        }
    }

    private static void checkAll(String kind, Map<String, List<String>> params) {
        for (var e : params.entrySet()) {
            String bad = TextRules.checkName(e.getKey());
            for (String v : e.getValue()) {
                bad = bad != null ? bad : TextRules.checkName(v);
            }
            if (bad != null) {
                throw ProblemException.badRequest(kind + safe(e.getKey()) + ": " + bad);
            }
        }
    }

    private static void bounded(Map<String, List<String>> query, String name, int min, int max) {
        List<String> values = query.get(name);
        if (values == null || values.isEmpty()) {
            return;
        }
        if (values.size() > 1) {
            throw ProblemException.badRequest(name + ": give it once");
        }
        try {
            int v = Integer.parseInt(values.get(0).strip());
            if (v >= min && v <= max) {
                return;
            }
        } catch (NumberFormatException e) {
            // answered below, like a number out of range
        }
        throw ProblemException.badRequest(name + ": a whole number from " + min + " to " + max);
    }

    private static boolean hasBody(ContainerRequestContext request) {
        String length = request.getHeaderString("Content-Length");
        return request.getHeaderString("Transfer-Encoding") != null || length != null && !length.strip().equals("0");
    }

    private static boolean declaresMediaType(ResourceInfo resource) {
        Method m = resource == null ? null : resource.getResourceMethod();
        return m != null && (m.isAnnotationPresent(Consumes.class) || m.getDeclaringClass().isAnnotationPresent(Consumes.class));
    }

    private static boolean isJson(MediaType type) {
        return type != null && ("json".equalsIgnoreCase(type.getSubtype()) || type.getSubtype().toLowerCase().endsWith("+json"));
    }

    private static String safe(String name) {
        return TextRules.checkName(name) == null && name.length() <= 64 ? name : "(unprintable)";
    }
}
