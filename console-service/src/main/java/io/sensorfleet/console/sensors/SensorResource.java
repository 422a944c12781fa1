package io.sensorfleet.console.sensors;

import io.sensorfleet.console.platform.Role;
import io.sensorfleet.console.common.Page;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.UUID;

@Path("/api/v1/sensors")
@Tag(name = "Sensors")
public class SensorResource {
    @Inject
    SensorService service;
    @Inject
    SensorAssignment assignment;
    @Inject
    SensorCounts counts;
    @Inject
    SensorLabels labels;
    @Inject
    SensorSearch search;
    @Inject
    SensorExport export;

    @GET
    @RolesAllowed({Role.ADMIN_NAME, Role.ANALYST_NAME, Role.READ_ONLY_NAME})
    @Operation(summary = "List sensors", description = "Pages through the sensor inventory, by name. Filters "
            + "combine with AND: connectivity state, health (OK, DEGRADED, FAILED), exact software version, part of the name (case-insensitive), "
            + "zone, site, region, business unit, or only sensors in no zone (unassigned=true), the stage of the "
            + "latest update (updateStatus; NONE: never updated), labels (label=key=value or label=key, repeatable).")
    public Page<SensorView> list(@Valid @BeanParam SensorFilterParams filter,
                                 @QueryParam("page") @DefaultValue("0") @Min(0) int page,
                                 @QueryParam("size") @DefaultValue("50") @Min(1) @Max(1000) int size) {
        return service.list(filter.filter(), page, size);
    }

    @GET
    @Path("/search")
    @RolesAllowed({Role.ADMIN_NAME, Role.ANALYST_NAME, Role.READ_ONLY_NAME})
    @Operation(summary = "Find sensors", description = "One text (q) against a whole id, a certificate serial "
            + "(decimal, or hex with or without colons), names and hostnames (case-insensitive) and labels "
            + "(key=value exactly, or part of a key or value). From 3 characters on, names, hostnames and labels "
            + "match anywhere; 1 or 2 characters match the start of a name or hostname only. By name, at most "
            + "limit (1 to 100) hits, each saying what matched.")
    public java.util.List<SensorSearch.Hit> search(@QueryParam("q") String q,
                                                   @QueryParam("limit") @DefaultValue("20") int limit) {
        return search.find(q, limit);
    }

    @GET
    @Path("/export")
    @RolesAllowed({Role.ADMIN_NAME, Role.ANALYST_NAME, Role.READ_ONLY_NAME})
    @Operation(summary = "Export the inventory", description = "Every sensor matching the same filters as the "
            + "list, by id, streamed as CSV (format=csv) or JSON lines (format=jsonl). In CSV, values a "
            + "spreadsheet would run as a formula get a leading quote.")
    public Response export(@QueryParam("format") @DefaultValue("csv") String format,
                           @Valid @BeanParam SensorFilterParams filter) {
        SensorFilter f = filter.filter();
        return switch (format) {
            case "csv" -> Response.ok((StreamingOutput) out -> export.csv(f, out), "text/csv")
                    .header("Content-Disposition", "attachment; filename=\"sensors.csv\"").build();
            case "jsonl" -> Response.ok((StreamingOutput) out -> export.jsonLines(f, out), "application/jsonl")
                    .header("Content-Disposition", "attachment; filename=\"sensors.jsonl\"").build();
            default -> throw io.sensorfleet.console.common.ProblemException.badRequest("format: must be csv or jsonl");
        };
    }

    @POST
    @Path("/labels")
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(summary = "Set or remove labels", description = "On the listed sensors (sensorIds) or all that "
            + "match a filter (filter; {} is the whole fleet): sets the labels in set (key to value) and removes "
            + "the keys in remove. Keys: 1 to 63 letters, digits, '.', '_', '-', '/'; values: up to 200 printable "
            + "characters; at most 32 labels per sensor. A request that breaks a rule changes nothing.")
    public SensorLabels.Result label(@Valid @NotNull SensorLabels.Request request) {
        return labels.change(request);
    }

    @POST
    @Path("/assignment")
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(summary = "Assign sensors to a zone", description = "Moves the listed sensors (sensorIds), or all "
            + "that match a filter (filter; {} is the whole fleet), into the zone zoneId — or out of any zone when "
            + "zoneId is null. One statement whatever the number of sensors; answers how many were changed.")
    public SensorAssignment.Result assign(@Valid @NotNull SensorAssignment.Request request) {
        return assignment.assign(request);
    }

    @GET
    @Path("/counts")
    @RolesAllowed({Role.ADMIN_NAME, Role.ANALYST_NAME, Role.READ_ONLY_NAME})
    @Operation(summary = "Count sensors by state", description = "Sensors per connectivity state, grouped by "
            + "zone, site, region or businessUnit (groupBy); sensors in no zone form a group with a null id.")
    public java.util.List<SensorCounts.Group> counts(@QueryParam("groupBy") @DefaultValue("zone") SensorCounts.GroupBy by) {
        return counts.count(by);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Role.ADMIN_NAME, Role.ANALYST_NAME, Role.READ_ONLY_NAME})
    @Operation(summary = "Get a sensor", description = "One sensor: identity, zone, version, connectivity state "
            + "and since when, last heartbeat, clock offset, health, certificate expiry, settings revisions.")
    public SensorView get(@PathParam("id") UUID id) {
        return service.get(id);
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(summary = "Delete a sensor", description = "Removes the sensor from the inventory and revokes its "
            + "certificates: every console instance refuses it on the agent plane within seconds. To bring it "
            + "back, connect it again with a new connection string.")
    public Response delete(@PathParam("id") UUID id) {
        service.delete(id);
        return Response.noContent().build();
    }
}
