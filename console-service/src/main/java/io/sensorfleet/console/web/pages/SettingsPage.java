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
