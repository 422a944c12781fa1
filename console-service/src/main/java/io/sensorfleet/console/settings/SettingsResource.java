package io.sensorfleet.console.settings;

import io.sensorfleet.console.platform.Role;
import io.sensorfleet.console.common.Page;
import io.sensorfleet.console.sensors.SensorAssignment;
import io.sensorfleet.console.sensors.SensorService;
import io.sensorfleet.lib.settings.SettingDefinition;
import io.sensorfleet.lib.settings.SettingsCatalog;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@Path("/api/v1/settings")
@Tag(name = "Settings")
public class SettingsResource {

    /**
     * @param values  keys of the catalogue; a null value removes the setting from this scope
     * @param confirm required (true) when a system property is changed: a wrong value can damage the sensor
     */
    public record Change(@NotNull @Size(max = 100) Map<String, Object> values, boolean confirm) {
    }

    /** Values for each sensor of a list or a filter. */
    public record BulkChange(@Size(max = 100_000) List<UUID> sensorIds, SensorAssignment.FilterSpec filter,
                             @NotNull @Size(max = 100) Map<String, Object> values, boolean confirm) {
    }

    @Inject
    SettingsService settings;
    @Inject
    SettingsQuery query;
    @Inject
    SensorService sensors;

    @GET
    @Path("/catalog")
    @RolesAllowed({Role.ADMIN_NAME, Role.ANALYST_NAME, Role.READ_ONLY_NAME})
    @Operation(summary = "List the settings catalogue", description = "Every setting that can be pushed: key, type, "
            + "default, range or choices, whether it is per sensor only, write-only, or needs confirmation.")
    public Collection<SettingDefinition> catalog() {
        return SettingsCatalog.all();
    }

    @GET
    @Path("/global")
    @RolesAllowed({Role.ADMIN_NAME, Role.ANALYST_NAME, Role.READ_ONLY_NAME})
    @Operation(summary = "Get global settings", description = "The values set for the whole fleet; write-only "
            + "values show as \"(set)\".")
    public SettingsQuery.ScopeValues global() {
        return query.scope(SettingsScope.GLOBAL, null);
    }

    @PATCH
    @Path("/global")
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(summary = "Change global settings", description = "Sets (or, with null, removes) values for the "
            + "whole fleet. Validated first; a new revision is pushed to every sensor that has no more specific value.")
    public SettingsService.Revision changeGlobal(@Valid @NotNull Change c, @Context SecurityContext sc) {
        return settings.change(SettingsScope.GLOBAL, null, c.values(), c.confirm(), sc.getUserPrincipal().getName());
    }

    @GET
    @Path("/{scope: sites|zones|sensors}/{id}")
    @RolesAllowed({Role.ADMIN_NAME, Role.ANALYST_NAME, Role.READ_ONLY_NAME})
    @Operation(summary = "Get the settings of a site, zone or sensor scope", description = "The values set at "
            + "exactly this scope (not inherited ones).")
    public SettingsQuery.ScopeValues scope(@PathParam("scope") String scope, @PathParam("id") UUID id) {
        return query.scope(scopeOf(scope), id);
    }

    @PATCH
    @Path("/{scope: sites|zones|sensors}/{id}")
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(summary = "Change the settings of a site, zone or sensor", description = "Sets (or, with null, "
            + "removes) values at this scope; the most specific scope wins. Validated against the resulting settings "
            + "of every sensor it reaches; a new revision is pushed to them.")
    public SettingsService.Revision change(@PathParam("scope") String scope, @PathParam("id") UUID id,
                                           @Valid @NotNull Change c, @Context SecurityContext sc) {
        return settings.change(scopeOf(scope), id, c.values(), c.confirm(), sc.getUserPrincipal().getName());
    }

    @POST
    @Path("/bulk")
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(summary = "Change settings of many sensors", description = "Sets the values at SENSOR scope on every "
            + "listed sensor, or every sensor matching the filter ({} is the whole fleet), in one revision.")
    public SettingsService.Revision bulk(@Valid @NotNull BulkChange c, @Context SecurityContext sc) {
        return settings.changeSensors(sensors.targets(c.sensorIds(), c.filter()), c.values(), c.confirm(),
                sc.getUserPrincipal().getName());
    }

    @GET
    @Path("/revisions")
    @RolesAllowed({Role.ADMIN_NAME, Role.ANALYST_NAME, Role.READ_ONLY_NAME})
    @Operation(summary = "List settings revisions", description = "Every settings change, newest first: who, when, "
            + "scope, values (write-only ones masked), how many sensors it reached.")
    public Page<SettingsQuery.RevisionView> revisions(@QueryParam("page") @DefaultValue("0") @Min(0) int page,
                                                      @QueryParam("size") @DefaultValue("50") @Min(1) @Max(500) int size) {
        return query.revisions(page, size);
    }

    private static SettingsScope scopeOf(String path) {
        return switch (path) {
            case "sites" -> SettingsScope.SITE;
            case "zones" -> SettingsScope.ZONE;
            default -> SettingsScope.SENSOR;
        };
    }
}
