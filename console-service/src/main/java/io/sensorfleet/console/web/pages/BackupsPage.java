package io.sensorfleet.console.web.pages;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.sensorfleet.console.platform.AuditContext;
import io.sensorfleet.console.platform.Role;
import io.sensorfleet.console.backups.BackupQuery;
import io.sensorfleet.console.backups.BackupService;
import io.sensorfleet.console.backups.BackupTasks;
import io.sensorfleet.console.backups.BackupViews;
import io.sensorfleet.console.backups.BackupsConfig;
import io.sensorfleet.console.common.Page;
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

/**
 * Backups: the collection runs with their progress (polled while one runs, so an operator can
 * leave and come back), the stored backups, failures, and the schedule, storage and retention
 * this console works with. The sensors' own schedule is a setting (backup.*) on the Settings page.
 */
@Path("/ui/backups")
@PermitAll
@Produces(MediaType.TEXT_HTML)
public class BackupsPage {
    @Inject
    WebUser ui;
    @Inject
    Web web;
    @Inject
    BackupQuery query;
    @Inject
    BackupService service;
    @Inject
    BackupsConfig config;
    @Inject
    AuditContext audit;
    @Inject
    @Location("web/backups.html")
    Template page;
    @Inject
    @Location("web/backup-collections.html")
    Template collections;

    @GET
    public TemplateInstance show(@QueryParam("page") @DefaultValue("0") int pageNo) {
        ui.require();
        Page<BackupViews.Backup> stored = query.backups(null, Math.max(0, pageNo), 50);
        return collections(page.data("nav", "backups")).data("stored", stored).data("pager", Pager.of(stored, "/ui/backups?"))
                .data("failures", query.failures(null, 0, 10).items()).data("config", config);
    }

    /** The collection runs alone, polled by the page while one is under way. */
    @GET
    @Path("/collections")
    public TemplateInstance collections() {
        ui.require();
        return collections(collections.instance());
    }

    private TemplateInstance collections(TemplateInstance t) {
        var runs = query.collections(0, 10).items();
        return t.data("collections", runs).data("running", runs.stream().anyMatch(c -> !c.progress().finished()));
    }

    @POST
    @Path("/collect-all")
    @Operation(summary = "Back up now")
    public Response collectAll() {
        ui.require(Role.ADMIN);
        return web.act("/ui/backups", () -> {
            BackupTasks.Started s = service.collect(new BackupService.Targets(null, null, null, true), ui.username());
            audit.target("collection:" + s.collectionId());
            audit.detail(s.queued() + " sensors queued, " + s.busy() + " busy");
            return "Backup of every sensor started: " + s.queued() + " queued, " + s.busy() + " busy";
        });
    }
}
