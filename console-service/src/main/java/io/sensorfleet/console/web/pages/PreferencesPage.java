package io.sensorfleet.console.web.pages;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.console.web.Web;
import io.sensorfleet.console.web.session.WebSessions;
import io.sensorfleet.console.web.session.WebUser;
import io.sensorfleet.lib.settings.SettingsCatalog;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestForm;

import java.time.ZoneId;

/** The operator's own time zone and date format, used for every time the web console shows. */
@Path("/ui/preferences")
@PermitAll
@Produces(MediaType.TEXT_HTML)
public class PreferencesPage {
    @Inject
    WebUser ui;
    @Inject
    Web web;
    @Inject
    WebSessions sessions;
    @Inject
    @Location("web/preferences.html")
    Template page;

    @GET
    public TemplateInstance show() {
        ui.require();
        return page.data("nav", "").data("timeZones", ZoneId.getAvailableZoneIds().stream().sorted().toList())
                .data("formats", SettingsCatalog.DATE_FORMATS).data("current", ui.dateFormat());
    }

    @POST
    @Operation(summary = "Change own display preferences")
    public Response save(@RestForm String timeZone, @RestForm String dateFormat) {
        var session = ui.require();
        return web.act("/ui/preferences", () -> {
            String zone = timeZone == null ? "" : timeZone.strip();
            if (!"UTC".equals(zone) && !ZoneId.getAvailableZoneIds().contains(zone)) {
                throw ProblemException.badRequest("timeZone: an IANA time zone such as Europe/Berlin");
            }
            if (!SettingsCatalog.DATE_FORMATS.contains(dateFormat)) {
                throw ProblemException.badRequest("dateFormat: one of " + SettingsCatalog.DATE_FORMATS);
            }
            sessions.preferences(session.userId(), zone, dateFormat);
            return "Times are now shown in " + zone + " as " + dateFormat;
        });
    }
}
