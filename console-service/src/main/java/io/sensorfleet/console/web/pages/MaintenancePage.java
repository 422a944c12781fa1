package io.sensorfleet.console.web.pages;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.sensorfleet.console.platform.AuditContext;
import io.sensorfleet.console.platform.Role;
import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.console.maintenance.MaintenanceWindowResource;
import io.sensorfleet.console.maintenance.MaintenanceWindows;
import io.sensorfleet.console.web.Forms;
import io.sensorfleet.console.web.Web;
import io.sensorfleet.console.web.session.WebUser;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestForm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Maintenance windows: Admins and Security Analysts open, extend and close them; everyone sees them. */
@Path("/ui/maintenance")
@PermitAll
@Produces(MediaType.TEXT_HTML)
public class MaintenancePage {
    private static final String BACK = "/ui/maintenance";

    @Inject
    WebUser ui;
    @Inject
    Web web;
    @Inject
    MaintenanceWindows windows;
    @Inject
    AuditContext audit;
    @Inject
    SensorPicker picker;
    @Inject
    @Location("web/maintenance.html")
    Template page;
    @Inject
    @Location("web/sensor-picker.html")
    Template pickerFragment;

    @GET
    public TemplateInstance show(@QueryParam("page") @DefaultValue("0") int pageNo) {
        ui.require();
        var list = windows.list(new MaintenanceWindows.Filter(null, null, null, null, null), Math.max(0, pageNo), 50);
        return page.data("nav", "maintenance").data("windows", list).data("pager", Pager.of(list, BACK + "?"))
                .data("picker", picker.pick(null, List.of()));
    }

    /** The sensor picker of the open form: the ticked sensors, then those whose name contains {@code q}. */
    @GET
    @Path("/sensors")
    public TemplateInstance pick(@QueryParam("q") String q, @QueryParam("sensorId") List<String> chosen) {
        ui.require(Role.ADMIN, Role.SECURITY_ANALYST);
        return pickerFragment.data("picker", picker.pick(q, chosen));
    }

    @POST
    @Operation(summary = "Open a maintenance window")
    public Response open(@RestForm String ticketId, @RestForm String ttlMinutes, @RestForm String sensorIds,
                         @RestForm("sensorId") List<String> picked) {
        ui.require(Role.ADMIN, Role.SECURITY_ANALYST);
        return web.act(BACK, () -> {
            List<String> ids = new ArrayList<>(picked == null ? List.of() : picked);
            if (sensorIds != null) {
                Arrays.stream(sensorIds.split("[,\\s]+")).filter(s -> !s.isEmpty()).forEach(ids::add);
            }
            var r = web.valid(new MaintenanceWindowResource.OpenRequest(Forms.text(ticketId), minutes(ttlMinutes),
                    Forms.uuids("sensorIds", ids, 10_000), null));
            audit.target("ticket:" + r.ticketId());
            windows.open(new MaintenanceWindows.Spec(r.ticketId(), Duration.ofMinutes(r.ttlMinutes()), r.sensorIds(), null),
                    ui.username());
            return "Maintenance window " + r.ticketId() + " open for " + r.ttlMinutes() + " minutes";
        });
    }

    @POST
    @Path("/extend")
    @Operation(summary = "Extend a maintenance window")
    public Response extend(@RestForm String ticketId, @RestForm String ttlMinutes) {
        ui.require(Role.ADMIN, Role.SECURITY_ANALYST);
        return web.act(BACK, () -> {
            var r = web.valid(new MaintenanceWindowResource.ExtendRequest(minutes(ttlMinutes)));
            audit.target("ticket:" + ticketId);
            windows.extend(String.valueOf(ticketId), Duration.ofMinutes(r.ttlMinutes()), ui.username());
            return "Maintenance window " + ticketId + " now ends in " + r.ttlMinutes() + " minutes";
        });
    }

    @POST
    @Path("/close")
    @Operation(summary = "Close a maintenance window")
    public Response close(@RestForm String ticketId) {
        ui.require(Role.ADMIN, Role.SECURITY_ANALYST);
        return web.act(BACK, () -> {
            audit.target("ticket:" + ticketId);
            windows.close(String.valueOf(ticketId), ui.username());
            return "Maintenance window " + ticketId + " closed";
        });
    }

    private static Integer minutes(String value) {
        try {
            return Forms.text(value) == null ? null : Integer.valueOf(value.strip());
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("ttlMinutes: a whole number of minutes");
        }
    }
}
