package io.sensorfleet.console.web.pages;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.sensorfleet.console.platform.AuditContext;
import io.sensorfleet.console.platform.Role;
import io.sensorfleet.console.common.Page;
import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.console.sensors.SensorAssignment;
import io.sensorfleet.console.sensors.SensorFilter;
import io.sensorfleet.console.sensors.SensorService;
import io.sensorfleet.console.sensors.SensorView;
import io.sensorfleet.console.sites.OrganisationResource;
import io.sensorfleet.console.sites.SiteResource;
import io.sensorfleet.console.sites.SiteService;
import io.sensorfleet.console.web.Forms;
import io.sensorfleet.console.web.Web;
import io.sensorfleet.console.web.session.WebUser;
import io.sensorfleet.console.zones.ZoneResource;
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
import java.util.UUID;

/** The business unit → region → site → zone tree, the sensors in no zone, and assignment. */
@Path("/ui/zones")
@PermitAll
@Produces(MediaType.TEXT_HTML)
public class ZonesPage {
    private static final String BACK = "/ui/zones";

    @Inject
    WebUser ui;
    @Inject
    Web web;
    @Inject
    SiteService sites;
    @Inject
    ZoneService zones;
    @Inject
    SensorService sensors;
    @Inject
    SensorAssignment assignment;
    @Inject
    AuditContext audit;
    @Inject
    @Location("web/zones.html")
    Template page;

    @GET
    public TemplateInstance show(@QueryParam("page") @DefaultValue("0") int pageNo) {
        ui.require();
        List<SiteService.BusinessUnitView> units = sites.businessUnits();
        List<SiteService.RegionView> regions = sites.regions(null);
        List<SiteService.SiteView> siteList = sites.sites(null);
        List<ZoneService.View> zoneList = zones.list(null);
        Page<SensorView> unassigned = sensors.list(new SensorFilter(null, null, null, null, true, null, null, null),
                Math.max(0, pageNo), 50);
        return page.data("nav", "zones").data("tree", ZoneTree.of(units, regions, siteList, zoneList))
                .data("regions", regions).data("sites", siteList).data("zones", zoneList)
                .data("unassigned", unassigned).data("pager", Pager.of(unassigned, "/ui/zones?"));
    }

    @POST
    @Path("/assign")
    @Operation(summary = "Assign sensors to a zone")
    public Response assign(@RestForm("sensorId") List<String> sensorIds, @RestForm String zoneId,
                           @RestForm @DefaultValue(BACK) String back) {
        ui.require(Role.ADMIN);
        String returnTo = Pages.localPath(back, BACK);
        return web.act(returnTo, () -> {
            List<UUID> ids = Forms.uuids("sensorId", sensorIds, 1000);
            if (ids.isEmpty()) {
                throw ProblemException.badRequest("sensorId: tick at least one sensor");
            }
            UUID zone = Forms.uuid("zoneId", zoneId);
            SensorAssignment.Result r = assignment.assign(new SensorAssignment.Request(zone, ids, null));
            return r.changed() + " sensor" + (r.changed() == 1 ? "" : "s") + (zone == null ? " unassigned" : " assigned");
        });
    }

    @POST
    @Path("/business-unit")
    @Operation(summary = "Create a business unit")
    public Response createBusinessUnit(@RestForm String name) {
        ui.require(Role.ADMIN);
        return web.act(BACK, () -> {
            var r = web.valid(new OrganisationResource.NameRequest(Forms.text(name)));
            return "Business unit " + sites.createBusinessUnit(r.name()).name() + " created";
        });
    }

    @POST
    @Path("/region")
    @Operation(summary = "Create a region")
    public Response createRegion(@RestForm String name, @RestForm String businessUnitId) {
        ui.require(Role.ADMIN);
        return web.act(BACK, () -> {
            var r = web.valid(new OrganisationResource.RegionRequest(Forms.text(name),
                    Forms.uuid("businessUnitId", businessUnitId)));
            return "Region " + sites.createRegion(r.name(), r.businessUnitId()).name() + " created";
        });
    }

    @POST
    @Path("/site")
    @Operation(summary = "Create a site")
    public Response createSite(@RestForm String name, @RestForm String address, @RestForm String regionId) {
        ui.require(Role.ADMIN);
        return web.act(BACK, () -> {
            var r = web.valid(new SiteResource.CreateSite(Forms.text(name), Forms.text(address),
                    Forms.uuid("regionId", regionId)));
            return "Site " + sites.createSite(r.name(), r.address(), r.regionId()).name() + " created";
        });
    }

    @POST
    @Path("/zone")
    @Operation(summary = "Create a zone")
    public Response createZone(@RestForm String name, @RestForm String description, @RestForm String siteId) {
        ui.require(Role.ADMIN);
        return web.act(BACK, () -> {
            var r = web.valid(new ZoneResource.ZoneRequest(Forms.text(name), Forms.text(description),
                    Forms.uuid("siteId", siteId)));
            return "Zone " + zones.create(r.name(), r.description(), r.siteId()).name() + " created";
        });
    }

    @POST
    @Path("/site/rename")
    @Operation(summary = "Rename a site")
    public Response renameSite(@RestForm String siteId, @RestForm String name) {
        ui.require(Role.ADMIN);
        return web.act(BACK, () -> {
            UUID id = Forms.requiredUuid("siteId", siteId);
            audit.target("site:" + id);
            var r = web.valid(new SiteResource.UpdateSite(requiredName(name), null));
            return "Site renamed to " + sites.updateSite(id, r.name(), null).name();
        });
    }

    @POST
    @Path("/zone/rename")
    @Operation(summary = "Rename a zone")
    public Response renameZone(@RestForm String zoneId, @RestForm String name) {
        ui.require(Role.ADMIN);
        return web.act(BACK, () -> {
            UUID id = Forms.requiredUuid("zoneId", zoneId);
            audit.target("zone:" + id);
            var r = web.valid(new ZoneResource.ZoneUpdate(requiredName(name), null));
            return "Zone renamed to " + zones.update(id, r.name(), null).name();
        });
    }

    private static String requiredName(String name) {
        String n = Forms.text(name);
        if (n == null) {
            throw ProblemException.badRequest("name: enter the new name");
        }
        return n;
    }

    @POST
    @Path("/zone/delete")
    @Operation(summary = "Delete a zone")
    public Response deleteZone(@RestForm String zoneId) {
        ui.require(Role.ADMIN);
        return web.act(BACK, () -> {
            UUID id = Forms.requiredUuid("zoneId", zoneId);
            audit.target("zone:" + id);
            zones.delete(id);
            return "Zone deleted";
        });
    }
}
