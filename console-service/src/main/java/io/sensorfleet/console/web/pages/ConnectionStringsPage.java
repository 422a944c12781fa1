package io.sensorfleet.console.web.pages;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.sensorfleet.console.platform.AuditContext;
import io.sensorfleet.console.platform.Role;
import io.sensorfleet.console.common.Page;
import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.console.enrollment.ConnectionStringResource;
import io.sensorfleet.console.enrollment.ConnectionStringService;
import io.sensorfleet.console.web.Forms;
import io.sensorfleet.console.web.Web;
import io.sensorfleet.console.web.session.WebUser;
import io.sensorfleet.console.zones.ZoneService;
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

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Connection strings: create one (shown once, with a copy button), list them with their status,
 * revoke an unused one.
 */
@Path("/ui/connection-strings")
@PermitAll
@Produces(MediaType.TEXT_HTML)
public class ConnectionStringsPage {
    private static final String BACK = "/ui/connection-strings";

    @Inject
    WebUser ui;
    @Inject
    Web web;
    @Inject
    ConnectionStringService service;
    @Inject
    ZoneService zones;
    @Inject
    AuditContext audit;
    @Inject
    @Location("web/connection-strings.html")
    Template page;

    @GET
    public TemplateInstance show(@QueryParam("page") @DefaultValue("0") int pageNo) {
        ui.require();
        return page(null, pageNo);
    }

    @POST
    @Operation(summary = "Create a connection string")
    public Response create(@RestForm String description, @RestForm String zoneId, @RestForm String ttlHours) {
        ui.require(Role.ADMIN);
        try {
            Long ttlSeconds = Forms.text(ttlHours) == null ? null : parseHours(ttlHours);
            var r = web.valid(new ConnectionStringResource.CreateRequest(Forms.text(description),
                    Forms.uuid("zoneId", zoneId), ttlSeconds));
            ConnectionStringService.Created created = service.create(new ConnectionStringService.Spec(r.description(),
                    r.zoneId(), ttlSeconds == null ? null : java.time.Duration.ofSeconds(ttlSeconds)), 1, ui.username()).get(0);
            audit.target("connection-string:" + created.id());
            return web.shownOnce(page(created, 0));
        } catch (ProblemException e) {
            return web.error(e.status(), e.title(), e.getMessage(), BACK);
        }
    }

    @POST
    @Path("/revoke")
    @Operation(summary = "Revoke a connection string")
    public Response revoke(@RestForm String id) {
        ui.require(Role.ADMIN);
        return web.act(BACK, () -> {
            UUID token = Forms.requiredUuid("id", id);
            audit.target("connection-string:" + token);
            service.revoke(token);
            return "Connection string revoked";
        });
    }

    private TemplateInstance page(ConnectionStringService.Created created, int pageNo) {
        Page<ConnectionStringService.View> list = service.list(null, Math.max(0, pageNo), 50);
        List<ZoneService.View> zoneList = zones.list(null);
        Map<UUID, String> zoneNames = zoneList.stream()
                .collect(Collectors.toMap(ZoneService.View::id, ZoneService.View::name, (a, b) -> a));
        return page.data("nav", "connect").data("created", created).data("list", list)
                .data("pager", Pager.of(list, BACK + "?")).data("zones", zoneList).data("zoneNames", zoneNames);
    }

    private static long parseHours(String hours) {
        try {
            return Math.multiplyExact(Long.parseLong(hours.strip()), 3600L);
        } catch (NumberFormatException | ArithmeticException e) {
            throw ProblemException.badRequest("ttlHours: a whole number of hours");
        }
    }
}
