package io.sensorfleet.console.audit;

import io.sensorfleet.console.platform.Role;
import io.sensorfleet.console.common.Page;
import io.sensorfleet.console.common.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.time.format.DateTimeParseException;

@Path("/api/v1/audit")
@Tag(name = "Audit log")
@RolesAllowed({Role.ADMIN_NAME, Role.ANALYST_NAME})
public class AuditResource {
    @Inject
    AuditQuery query;

    @GET
    @Operation(summary = "Search the audit log", description = "Changes newest first, filtered by actor, part of "
            + "the action, part of the target, result (HTTP status), and a time range (ISO-8601 'from' inclusive, "
            + "'to' exclusive).")
    public Page<AuditQuery.View> list(@QueryParam("actor") @Size(max = 200) String actor,
                                      @QueryParam("action") @Size(max = 200) String action,
                                      @QueryParam("target") @Size(max = 500) String target,
                                      @QueryParam("result") Integer result,
                                      @QueryParam("from") String from, @QueryParam("to") String to,
                                      @QueryParam("page") @DefaultValue("0") @Min(0) int page,
                                      @QueryParam("size") @DefaultValue("50") @Min(1) @Max(1000) int size) {
        return query.page(filter(actor, action, target, result, from, to), page, size);
    }

    @GET
    @Path("/export")
    @Operation(summary = "Export the audit log", description = "The entries matching the same filters as the "
            + "search, oldest first, streamed as CSV (format=csv) or JSON lines (format=jsonl).")
    public Response export(@QueryParam("format") @DefaultValue("csv") String format,
                           @QueryParam("actor") @Size(max = 200) String actor,
                           @QueryParam("action") @Size(max = 200) String action,
                           @QueryParam("target") @Size(max = 500) String target,
                           @QueryParam("result") Integer result,
                           @QueryParam("from") String from, @QueryParam("to") String to) {
        AuditQuery.Filter f = filter(actor, action, target, result, from, to);
        return switch (format) {
            case "csv" -> Response.ok((StreamingOutput) out -> query.exportCsv(f, out), "text/csv")
                    .header("Content-Disposition", "attachment; filename=\"audit.csv\"").build();
            case "jsonl" -> Response.ok((StreamingOutput) out -> query.exportJsonLines(f, out), "application/jsonl")
                    .header("Content-Disposition", "attachment; filename=\"audit.jsonl\"").build();
            default -> throw ProblemException.badRequest("format: must be csv or jsonl");
        };
    }

    private static AuditQuery.Filter filter(String actor, String action, String target, Integer result,
                                            String from, String to) {
        return new AuditQuery.Filter(actor, action, target, result, instant("from", from), instant("to", to));
    }

    private static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest(name + ": not an ISO-8601 instant such as 2026-01-31T12:00:00Z");
        }
    }
}
