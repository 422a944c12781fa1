package io.sensorfleet.console.web.pages;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.sensorfleet.console.platform.AuditContext;
import io.sensorfleet.console.platform.Role;
import io.sensorfleet.console.common.Page;
import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.console.sites.SiteService;
import io.sensorfleet.console.updates.PackageStore;
import io.sensorfleet.console.updates.RolloutSchedule;
import io.sensorfleet.console.updates.RolloutService;
import io.sensorfleet.console.updates.UpdateQuery;
import io.sensorfleet.console.updates.UpdateViews;
import io.sensorfleet.console.web.Forms;
import io.sensorfleet.console.web.Web;
import io.sensorfleet.console.web.session.WebSessions;
import io.sensorfleet.console.web.session.WebUser;
import io.sensorfleet.console.zones.ZoneService;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Software updates: the fleet by version, the packages (upload, delete), the rollouts, and one
 * rollout with its sensors' stages and download progress (a fragment the page polls while the
 * rollout is under way, so an operator can leave and come back). Every change goes through the
 * same services as the REST API ({@link PackageStore}, {@link RolloutService}), with their checks.
 */
@Path("/ui/updates")
@PermitAll
@Produces(MediaType.TEXT_HTML)
public class UpdatesPage {
    private static final String BACK = "/ui/updates";
    private static final int SENSORS_PER_PAGE = 100;
    /** Rollout states after which nothing starts any more. */
    private static final Set<String> ENDED = Set.of("CANCELLED", "SUCCEEDED", "FINISHED_WITH_FAILURES");
    /** Stages of a sensor that is updating right now. */
    private static final Set<String> UNDER_WAY = Set.of("QUEUED", "DOWNLOADING", "BACKING_UP", "VERIFYING", "INSTALLING",
            "VALIDATING");

    @Inject
    WebUser ui;
    @Inject
    Web web;
    @Inject
    WebSessions sessions;
    @Inject
    UpdateQuery query;
    @Inject
    PackageStore store;
    @Inject
    RolloutService rollouts;
    @Inject
    ZoneService zones;
    @Inject
    SiteService sites;
    @Inject
    AuditContext audit;
    @Inject
    @Location("web/updates.html")
    Template page;
    @Inject
    @Location("web/rollout.html")
    Template rolloutPage;
    @Inject
    @Location("web/rollout-sensors.html")
    Template sensorsFragment;

    @GET
    public TemplateInstance show(@QueryParam("page") @DefaultValue("0") int pageNo) {
        ui.require();
        return page(Math.max(0, pageNo));
    }

    private TemplateInstance page(int pageNo) {
        Page<UpdateViews.Rollout> list = query.rollouts(pageNo, 20);
        TemplateInstance t = page.data("nav", "updates").data("fleet", query.fleet()).data("packages", query.packages())
                .data("rollouts", list).data("pager", Pager.of(list, BACK + "?")).data("uploadError", null);
        if (ui.admin()) {
            t.data("zones", zones.list(null)).data("sites", sites.sites(null));
        } else {
            t.data("zones", List.of()).data("sites", List.of());
        }
        return t;
    }

    @POST
    @Path("/packages")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Upload an update package")
    public Response upload(@RestForm("file") FileUpload file) {
        ui.require(Role.ADMIN);
        try {
            if (file == null || file.filePath() == null) {
                throw ProblemException.badRequest("file: choose the package file to upload");
            }
            PackageStore.Stored s;
            try (InputStream in = Files.newInputStream(file.filePath())) {
                s = store.upload(in, ui.username());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            audit.target("update-package:" + s.id());
            audit.detail("version " + s.manifest().version() + ", key " + s.keyId());
            sessions.flash(ui.require().idHash(), "Package " + s.manifest().version() + " uploaded");
            return Response.seeOther(URI.create(BACK)).build();
        } catch (ProblemException e) {
            // The page again, with the store's own refusal next to the upload form.
            String detail = e.title() + ": " + e.getMessage();
            return Response.status(e.status()).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                    .entity(page(0).data("uploadError", detail).render()).build();
        }
    }

    @POST
    @Path("/packages/{id}/delete")
    @Operation(summary = "Delete an update package")
    public Response deletePackage(@PathParam("id") String id) {
        ui.require(Role.ADMIN);
        return web.act(BACK, () -> {
            UUID pkg = Forms.requiredUuid("id", id);
            audit.target("update-package:" + pkg);
            String version = query.pkg(pkg).version();
            rollouts.deletePackage(pkg);
            return "Package " + version + " deleted";
        });
    }

    @POST
    @Path("/rollouts")
    @Operation(summary = "Start a rollout")
    public Response create(@RestForm String packageId, @RestForm String target, @RestForm String zoneId,
                           @RestForm String siteId, @RestForm String sensorIds, @RestForm String canarySize,
                           @RestForm String batchSize, @RestForm String maxParallel,
                           @RestForm String failureThresholdPercent, @RestForm String soakSeconds,
                           @RestForm String watchSeconds, @RestForm String startAt, @RestForm String windowFrom,
                           @RestForm String windowTo, @RestForm String windowZone) {
        ui.require(Role.ADMIN);
        try {
            String kind = Forms.text(target) == null ? "" : target.strip();
            List<UUID> sensors = null;
            List<UUID> zone = null;
            List<UUID> site = null;
            Boolean all = null;
            switch (kind) {
                case "all" -> all = true;
                case "zone" -> zone = List.of(Forms.requiredUuid("zoneId", zoneId));
                case "site" -> site = List.of(Forms.requiredUuid("siteId", siteId));
                case "sensors" -> sensors = Forms.uuids("sensorIds", split(sensorIds), 1000);
                default -> throw ProblemException.badRequest("target: all, zone, site or sensors");
            }
            RolloutService.Request r = new RolloutService.Request(Forms.requiredUuid("packageId", packageId), sensors,
                    zone, site, null, all, number("canarySize", canarySize), number("batchSize", batchSize),
                    number("maxParallel", maxParallel), number("failureThresholdPercent", failureThresholdPercent),
                    number("soakSeconds", soakSeconds), number("watchSeconds", watchSeconds), Forms.text(startAt),
                    window(windowFrom, windowTo, windowZone));
            UUID id = rollouts.create(r, ui.username());
            audit.target("rollout:" + id);
            UpdateViews.Rollout created = query.rollout(id);
            sessions.flash(ui.require().idHash(), "Rollout of " + created.version()
                    + (created.state().equals("SCHEDULED") ? " scheduled" : " started"));
            return Response.seeOther(URI.create(rolloutPath(id))).build();
        } catch (ProblemException e) {
            return web.error(e.status(), e.title(), e.getMessage(), BACK);
        }
    }

    @GET
    @Path("/rollouts/{id}")
    public Response rollout(@PathParam("id") String id, @QueryParam("stage") String stage,
                            @QueryParam("page") @DefaultValue("0") int pageNo) {
        ui.require();
        try {
            UUID rolloutId = Forms.requiredUuid("id", id);
            TemplateInstance t = sensors(rolloutPage.data("nav", "updates"), rolloutId, stage, pageNo);
            return Response.ok(t.render(), MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).build();
        } catch (ProblemException e) {
            return web.error(e.status(), e.title(), e.getMessage(), BACK);
        }
    }

    /** The rollout's state and its sensors, polled by the rollout page while it is under way. */
    @GET
    @Path("/rollouts/{id}/sensors")
    public TemplateInstance sensors(@PathParam("id") UUID id, @QueryParam("stage") String stage,
                                    @QueryParam("page") @DefaultValue("0") int pageNo) {
        ui.require();
        return sensors(sensorsFragment.instance(), id, stage, pageNo);
    }

    private TemplateInstance sensors(TemplateInstance t, UUID id, String stage, int pageNo) {
        UpdateViews.Rollout r = query.rollout(id);
        String only = Forms.text(stage);
        if (only != null && !only.matches("[A-Z_]{1,32}")) {
            throw ProblemException.badRequest("stage: a stage name such as FAILED or DOWNLOADING");
        }
        Page<UpdateViews.Target> targets = query.targets(id, only, Math.max(0, pageNo), SENSORS_PER_PAGE);
        String filter = only == null ? "" : "stage=" + only + "&";
        boolean live = !ENDED.contains(r.state()) || r.stages().keySet().stream().anyMatch(UNDER_WAY::contains);
        return t.data("r", r).data("targets", targets)
                .data("pager", Pager.of(targets, rolloutPath(id) + "?" + filter))
                .data("poll", rolloutPath(id) + "/sensors?" + filter + "page=" + targets.page() + "&poll")
                .data("stage", only == null ? "" : only).data("live", live)
                .data("canPause", r.state().equals("RUNNING"))
                .data("canResume", r.state().equals("PAUSED") || (r.state().equals("HALTED")
                        && !r.stages().containsKey("FAILED") && !r.stages().containsKey("ROLLED_BACK")))
                .data("canCancel", !ENDED.contains(r.state()))
                .data("canRetry", !r.state().equals("CANCELLED")
                        && (r.stages().containsKey("FAILED") || r.stages().containsKey("ROLLED_BACK")));
    }

    @GET
    @Path("/rollouts/{id}/sensors/{sensorId}/log")
    @Produces(MediaType.TEXT_PLAIN)
    public Response log(@PathParam("id") UUID id, @PathParam("sensorId") UUID sensorId) {
        ui.require();
        try {
            String log = query.target(id, sensorId).log();
            if (log == null) {
                throw ProblemException.notFound("failure log of sensor", sensorId);
            }
            return Response.ok(log, MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8")).build();
        } catch (ProblemException e) {
            return web.error(e.status(), e.title(), e.getMessage(), rolloutPath(id));
        }
    }

    @POST
    @Path("/rollouts/{id}/pause")
    @Operation(summary = "Pause a rollout")
    public Response pause(@PathParam("id") UUID id) {
        ui.require(Role.ADMIN);
        return web.act(rolloutPath(id), () -> {
            audit.target("rollout:" + id);
            rollouts.pause(id);
            return "Rollout paused: sensors already updating finish, no further ones start";
        });
    }

    @POST
    @Path("/rollouts/{id}/resume")
    @Operation(summary = "Resume a paused rollout")
    public Response resume(@PathParam("id") UUID id) {
        ui.require(Role.ADMIN);
        return web.act(rolloutPath(id), () -> {
            audit.target("rollout:" + id);
            rollouts.resume(id);
            return "Rollout resumed";
        });
    }

    @POST
    @Path("/rollouts/{id}/cancel")
    @Operation(summary = "Cancel a rollout")
    public Response cancel(@PathParam("id") UUID id) {
        ui.require(Role.ADMIN);
        return web.act(rolloutPath(id), () -> {
            audit.target("rollout:" + id);
            rollouts.cancel(id);
            return "Rollout cancelled: sensors that had not started are left out";
        });
    }

    @POST
    @Path("/rollouts/{id}/retry")
    @Operation(summary = "Retry failed sensors")
    public Response retry(@PathParam("id") UUID id) {
        ui.require(Role.ADMIN);
        return web.act(rolloutPath(id), () -> {
            audit.target("rollout:" + id);
            int n = rollouts.retry(id);
            audit.detail(n + " sensors retried");
            return n + (n == 1 ? " failed sensor" : " failed sensors") + " queued again";
        });
    }

    private static String rolloutPath(UUID id) {
        return BACK + "/rollouts/" + id;
    }

    private static List<String> split(String ids) {
        if (ids == null || ids.isBlank()) {
            throw ProblemException.badRequest("sensorIds: give the ids of the sensors, separated by spaces or commas");
        }
        return Arrays.stream(ids.split("[\\s,]+")).filter(s -> !s.isEmpty()).toList();
    }

    /** The daily window, or null when its three fields are empty (a partly filled one is the service's to refuse). */
    private static RolloutSchedule.WindowRequest window(String from, String to, String zone) {
        if (Forms.text(from) == null && Forms.text(to) == null && Forms.text(zone) == null) {
            return null;
        }
        return new RolloutSchedule.WindowRequest(Forms.text(from), Forms.text(to), Forms.text(zone));
    }

    /** A whole number, or null (the service's default) when the field is empty. */
    private static Integer number(String field, String value) {
        String v = Forms.text(value);
        if (v == null) {
            return null;
        }
        try {
            return Integer.valueOf(v);
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest(field + ": a whole number");
        }
    }
}
