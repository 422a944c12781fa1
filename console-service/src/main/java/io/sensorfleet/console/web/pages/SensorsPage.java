package io.sensorfleet.console.web.pages;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.sensorfleet.console.platform.AuditContext;
import io.sensorfleet.console.platform.Role;
import io.sensorfleet.console.backups.BackupService;
import io.sensorfleet.console.backups.BackupTasks;
import io.sensorfleet.console.common.Page;
import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.console.sensors.Connectivity;
import io.sensorfleet.console.sensors.SensorAssignment;
import io.sensorfleet.console.sensors.SensorLabels;
import io.sensorfleet.console.sensors.UpdateStatus;
import io.sensorfleet.console.sensors.SensorService;
import io.sensorfleet.console.sensors.SensorView;
import io.sensorfleet.console.sites.SiteService;
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
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestForm;

import java.util.List;
import java.util.UUID;

/** The inventory: filters, paging, and bulk actions on ticked sensors or on every sensor matching the filter. */
@Path("/ui/sensors")
@PermitAll
@Produces(MediaType.TEXT_HTML)
public class SensorsPage {
    private static final Logger LOG = Logger.getLogger(SensorsPage.class);
    private static final List<Integer> SIZES = List.of(25, 50, 100, 200);

    @Inject
    WebUser ui;
    @Inject
    Web web;
    @Inject
    SensorService sensors;
    @Inject
    SensorAssignment assignment;
    @Inject
    SensorLabels labels;
    @Inject
    BackupService backups;
    @Inject
    SiteService sites;
    @Inject
    ZoneService zones;
    @Inject
    AuditContext audit;
    @Inject
    @Location("web/sensors.html")
    Template page;

    @GET
    public Response list(@QueryParam("connectivity") String connectivity, @QueryParam("version") String version,
                         @QueryParam("name") String name, @QueryParam("zoneId") String zoneId,
                         @QueryParam("unassigned") String unassigned, @QueryParam("siteId") String siteId,
                         @QueryParam("regionId") String regionId, @QueryParam("businessUnitId") String businessUnitId,
                         @QueryParam("health") String health, @QueryParam("updateStatus") String updateStatus,
                         @QueryParam("label") List<String> labelFilter,
                         @QueryParam("page") @DefaultValue("0") int pageNo, @QueryParam("size") @DefaultValue("50") int size) {
        ui.require();
        SensorQuery q;
        try {
            q = SensorQuery.parse(connectivity, version, name, zoneId, unassigned, siteId, regionId, businessUnitId,
                    health, updateStatus, labelFilter);
        } catch (ProblemException e) {
            return web.error(e.status(), e.title(), e.getMessage(), "/ui/sensors");
        }
        int pageSize = SIZES.contains(size) ? size : 50;
        long started = System.nanoTime();
        Page<SensorView> found = sensors.list(q.filter(), Math.max(0, pageNo), pageSize);
        TemplateInstance t = page.data("nav", "sensors").data("q", q).data("found", found).data("size", pageSize)
                .data("sizes", SIZES)
                .data("pager", Pager.of(found, q.base(pageSize))).data("states", Connectivity.values())
                .data("healths", io.sensorfleet.protocol.v1.heartbeat.Health.Status.values())
                .data("updateStatuses", UpdateStatus.values())
                .data("units", sites.businessUnits()).data("regions", sites.regions(null))
                .data("sites", sites.sites(null)).data("zones", zones.list(null));
        String html = t.render();
        LOG.debugf("sensor list page %d (%d of %d sensors) in %d ms", pageNo, found.items().size(), found.total(),
                (System.nanoTime() - started) / 1_000_000);
        return Response.ok(html, MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).build();
    }

    @POST
    @Path("/bulk")
    @Operation(summary = "Act on many sensors")
    public Response bulk(@RestForm String action, @RestForm("sensorId") List<String> sensorIds,
                         @RestForm String allMatching, @RestForm String zoneId, @RestForm String confirmDelete,
                         @RestForm String connectivity, @RestForm String version, @RestForm String name,
                         @RestForm("filterZoneId") String filterZoneId, @RestForm String unassigned,
                         @RestForm String siteId, @RestForm String regionId, @RestForm String businessUnitId,
                         @RestForm String health, @RestForm String updateStatus,
                         @RestForm("label") List<String> labelFilter, @RestForm String labelKey,
                         @RestForm String labelValue) {
        ui.require(Role.ADMIN);
        return web.act("/ui/sensors", () -> {
            SensorQuery q = SensorQuery.parse(connectivity, version, name, filterZoneId, unassigned, siteId, regionId,
                    businessUnitId, health, updateStatus, labelFilter);
            boolean all = "true".equals(allMatching);
            List<UUID> ids = all ? null : Forms.uuids("sensorId", sensorIds, 1000);
            if (!all && ids.isEmpty()) {
                throw ProblemException.badRequest("sensorId: tick sensors, or choose all matching the filter");
            }
            return switch (action == null ? "" : action) {
                case "assign" -> assign(Forms.uuid("zoneId", zoneId), ids, all ? q.spec() : null);
                case "backup" -> backup(ids, all ? q.spec() : null);
                case "delete" -> delete(sensors.targets(ids, all ? q.spec() : null), "true".equals(confirmDelete));
                case "label-set" -> label(ids, all ? q.spec() : null, java.util.Map.of(Forms.text(labelKey) == null ? ""
                        : Forms.text(labelKey), labelValue == null ? "" : labelValue.strip()), null);
                case "label-remove" -> label(ids, all ? q.spec() : null, null,
                        List.of(Forms.text(labelKey) == null ? "" : Forms.text(labelKey)));
                default -> throw ProblemException.badRequest("action: one of assign, backup, delete, label-set, label-remove");
            };
        });
    }

    private String assign(UUID zone, List<UUID> ids, SensorAssignment.FilterSpec filter) {
        SensorAssignment.Result r = assignment.assign(new SensorAssignment.Request(zone, ids, filter));
        return r.changed() + " sensor" + (r.changed() == 1 ? "" : "s") + (zone == null ? " unassigned" : " assigned");
    }

    private String label(List<UUID> ids, SensorAssignment.FilterSpec filter, java.util.Map<String, String> set,
                         List<String> remove) {
        SensorLabels.Result r = labels.change(new SensorLabels.Request(ids, filter, set, remove));
        return set != null ? "Label " + set.keySet().iterator().next() + " set on " + r.sensors() + " sensor"
                + (r.sensors() == 1 ? "" : "s") : "Label " + remove.get(0) + " removed from " + r.removed() + " sensor"
                + (r.removed() == 1 ? "" : "s");
    }

    private String backup(List<UUID> ids, SensorAssignment.FilterSpec filter) {
        BackupTasks.Started s = backups.collect(new BackupService.Targets(ids, null, filter, null), ui.username());
        audit.target("collection:" + s.collectionId());
        audit.detail(s.queued() + " sensors queued, " + s.busy() + " busy");
        return "Backup started for " + s.queued() + " sensor" + (s.queued() == 1 ? "" : "s")
                + (s.busy() > 0 ? " (" + s.busy() + " busy, skipped)" : "") + "; follow it on the Backups page";
    }

    private String delete(List<UUID> ids, boolean confirmed) {
        if (!confirmed) {
            throw ProblemException.badRequest("confirmDelete: tick the confirmation to delete sensors");
        }
        ids.forEach(sensors::delete);
        audit.target(ids.size() == 1 ? "sensor:" + ids.get(0) : ids.size() + " sensors");
        return ids.size() + " sensor" + (ids.size() == 1 ? "" : "s") + " deleted; their certificates are revoked";
    }
}
