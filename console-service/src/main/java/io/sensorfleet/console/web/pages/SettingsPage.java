package io.sensorfleet.console.web.pages;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.sensorfleet.console.platform.Role;
import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.console.sensors.SensorService;
import io.sensorfleet.console.settings.SettingsQuery;
import io.sensorfleet.console.settings.SettingsScope;
import io.sensorfleet.console.settings.SettingsService;
import io.sensorfleet.console.sites.SiteService;
import io.sensorfleet.console.web.Forms;
import io.sensorfleet.console.web.Web;
import io.sensorfleet.console.web.session.WebUser;
import io.sensorfleet.console.zones.ZoneService;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.server.core.CurrentRequestManager;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The settings editor, one scope at a time (global, site, zone or sensor), with the catalogue's
 * fields; saving goes through the same service, validation and revision as PATCH /api/v1/settings.
 */
@Path("/ui/settings")
@PermitAll
@Produces(MediaType.TEXT_HTML)
public class SettingsPage {
    @Inject
    WebUser ui;
    @Inject
    Web web;
    @Inject
    SettingsQuery query;
    @Inject
    SettingsService settings;
    @Inject
    SensorService sensors;
    @Inject
    SiteService sites;
    @Inject
    ZoneService zones;
    @Inject
    @Location("web/settings.html")
    Template page;
    @Inject
    @Location("web/settings-filter.html")
    Template filterPage;

    /** How many matching sensors the filter form names before applying. */
    static final int FILTER_SAMPLE = 10;

    /** The scope being edited and its name for people. */
    public record Target(SettingsScope scope, UUID id, String label) {
        public String query() {
            return "scope=" + scope + (id == null ? "" : "&id=" + id);
        }
    }

    @GET
    public Response show(@QueryParam("scope") String scope, @QueryParam("id") String id) {
        ui.require();
        try {
            Target t = target(scope, id);
            Map<String, Object> values = query.scope(t.scope(), t.id()).values();
            return Response.ok(page.data("nav", "settings").data("target", t).data("categories", SettingsForm.fields(values, t.scope() == SettingsScope.SENSOR))
                    .data("sites", sites.sites(null)).data("zones", zones.list(null))
                    .data("timeZones", ZoneId.getAvailableZoneIds().stream().sorted().toList())
                    .data("revisions", query.revisions(0, 10).items()).render(),
                    MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).build();
        } catch (ProblemException e) {
            return web.error(e.status(), e.title(), e.getMessage(), "/ui/settings");
        }
    }

    @POST
    @Operation(summary = "Change settings")
    public Response save(@RestForm String scope, @RestForm String id, @RestForm String confirm) {
        ui.require(Role.ADMIN);
        Target t;
        try {
            t = target(scope, id);
        } catch (ProblemException e) {
            return web.error(e.status(), e.title(), e.getMessage(), "/ui/settings");
        }
        return web.act("/ui/settings?" + t.query(), () -> {
            Map<String, Object> current = query.scope(t.scope(), t.id()).values();
            var request = CurrentRequestManager.get();
            Map<String, Object> changes = SettingsForm.changes(current, name -> {
                Object v = request.getFormParameter(name, true, false);
                return v == null ? null : v.toString();
            });
            if (changes.isEmpty()) {
                return "Nothing changed";
            }
            SettingsService.Revision r = settings.change(t.scope(), t.id(), changes, "true".equals(confirm), ui.username());
            return "Saved as revision " + r.revision() + "; sent to " + r.sensorsAffected() + " sensor"
                    + (r.sensorsAffected() == 1 ? "" : "s");
        });
    }

    /**
     * Settings for the sensors a filter selects (zone, site, health, update status, labels): shows
     * how many match before anything is applied; applying sets the values at SENSOR scope on each of
     * them in one revision, as POST /api/v1/settings/bulk does.
     */
    @GET
    @Path("/filter")
    public Response filter(@QueryParam("zoneId") String zoneId, @QueryParam("siteId") String siteId,
                           @QueryParam("health") String health, @QueryParam("updateStatus") String updateStatus,
                           @QueryParam("label") List<String> labels) {
        ui.require();
        SensorQuery q;
        try {
            q = filterQuery(zoneId, siteId, health, updateStatus, labels);
        } catch (ProblemException e) {
            return web.error(e.status(), e.title(), e.getMessage(), "/ui/settings/filter");
        }
        var matching = sensors.list(q.filter(), 0, FILTER_SAMPLE);
        return Response.ok(filterPage.data("nav", "settings").data("q", q).data("matching", matching)
                .data("categories", SettingsForm.fields(Map.of(), false))
                .data("sites", sites.sites(null)).data("zones", zones.list(null))
                .data("healths", io.sensorfleet.protocol.v1.heartbeat.Health.Status.values())
                .data("updateStatuses", io.sensorfleet.console.sensors.UpdateStatus.values())
                .data("timeZones", ZoneId.getAvailableZoneIds().stream().sorted().toList()).render(),
                MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).build();
    }

    @POST
    @Path("/filter")
    @Operation(summary = "Change settings of many sensors")
    public Response applyToFilter(@RestForm String zoneId, @RestForm String siteId, @RestForm String health,
                                  @RestForm String updateStatus, @RestForm("label") List<String> labels,
                                  @RestForm String confirm) {
        ui.require(Role.ADMIN);
        SensorQuery q;
        try {
            q = filterQuery(zoneId, siteId, health, updateStatus, labels);
        } catch (ProblemException e) {
            return web.error(e.status(), e.title(), e.getMessage(), "/ui/settings/filter");
        }
        return web.act("/ui/settings/filter?" + q.query(), () -> {
            var request = CurrentRequestManager.get();
            Map<String, Object> changes = SettingsForm.changes(Map.of(), name -> {
                Object v = request.getFormParameter(name, true, false);
                return v == null ? null : v.toString();
            });
            if (changes.isEmpty()) {
                throw ProblemException.badRequest("values: give at least one setting to apply");
            }
            SettingsService.Revision r = settings.changeSensors(sensors.targets(null, q.spec()), changes,
                    "true".equals(confirm), ui.username());
            return "Saved as revision " + r.revision() + "; sent to " + r.sensorsAffected() + " sensor"
                    + (r.sensorsAffected() == 1 ? "" : "s");
        });
    }

    /** Only the conditions this form offers; the API's other filter fields stay the sensor list's. */
    private static SensorQuery filterQuery(String zoneId, String siteId, String health, String updateStatus,
                                           List<String> labels) {
        return SensorQuery.parse(null, null, null, zoneId, null, siteId, null, null, health, updateStatus, labels);
    }

    private Target target(String scope, String id) {
        SettingsScope s;
        try {
            s = scope == null || scope.isBlank() ? SettingsScope.GLOBAL : SettingsScope.valueOf(scope.strip());
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("scope: one of GLOBAL, SITE, ZONE, SENSOR");
        }
        if (s == SettingsScope.GLOBAL) {
            return new Target(s, null, "the whole fleet");
        }
        UUID target = Forms.requiredUuid("id", id);
        String label = switch (s) {
            case SITE -> "site " + sites.site(target).name();
            case ZONE -> "zone " + zones.get(target).name();
            default -> "sensor " + sensors.get(target).name();
        };
        return new Target(s, target, label);
    }
}
