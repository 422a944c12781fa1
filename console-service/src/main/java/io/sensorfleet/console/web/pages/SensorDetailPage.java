package io.sensorfleet.console.web.pages;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.sensorfleet.console.activation.ActivationService;
import io.sensorfleet.console.platform.AuditContext;
import io.sensorfleet.console.audit.AuditQuery;
import io.sensorfleet.console.platform.Role;
import io.sensorfleet.console.backups.BackupQuery;
import io.sensorfleet.console.backups.BackupService;
import io.sensorfleet.console.backups.BackupTasks;
import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.console.sensors.SensorAssignment;
import io.sensorfleet.console.sensors.SensorService;
import io.sensorfleet.console.settings.SettingsQuery;
import io.sensorfleet.console.settings.SettingsService;
import io.sensorfleet.console.web.Forms;
import io.sensorfleet.console.web.Web;
import io.sensorfleet.console.web.session.WebUser;
import io.sensorfleet.console.zones.ZoneService;
import io.sensorfleet.lib.activation.ActivationMode;
import jakarta.annotation.security.PermitAll;
import io.sensorfleet.console.backups.BackupViews;
import io.sensorfleet.console.updates.UpdateQuery;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestForm;

import java.util.List;
import java.util.UUID;

/**
 * One sensor: state, settings desired against applied, backups with restore, activation files,
 * its audit trail. The live parts (state, settings, the backup under way) are one fragment the
 * page polls, so an operator can leave and come back to a running backup.
 */
@Path("/ui/sensors/{id}")
@PermitAll
@Produces(MediaType.TEXT_HTML)
public class SensorDetailPage {
    @Inject
    WebUser ui;
    @Inject
    io.sensorfleet.console.health.SensorHealthQuery health;
    @Inject
    Web web;
    @Inject
    SensorService sensors;
    @Inject
    SettingsQuery settings;
    @Inject
    SettingsService settingsService;
    @Inject
    BackupQuery backupQuery;
    @Inject
    BackupService backups;
    @Inject
    ActivationService activation;
    @Inject
    AuditQuery audit;
    @Inject
    AuditContext auditContext;
    @Inject
    ZoneService zones;
    @Inject
    HistoryCharts charts;
    @Inject
    java.time.Clock clock;
    @Inject
    UpdateQuery updates;
    @Inject
    @Location("web/sensor.html")
    Template page;
    @Inject
    @Location("web/sensor-live.html")
    Template live;

    @GET
    public Response show(@PathParam("id") String id, @jakarta.ws.rs.QueryParam("range") String range) {
        ui.require();
        try {
            UUID sensorId = Forms.requiredUuid("id", id);
            HistoryCharts.Range r = range(range);
            TemplateInstance t = live(page.data("nav", "sensors"), sensorId)
                    .data("history", charts.sensor(sensorId, r, clock.instant(), java.time.ZoneId.of(ui.zone())))
                    .data("activations", activation.files(sensorId))
                    .data("modes", ActivationMode.values()).data("zones", zones.list(null))
                    .data("updates", updates.ofSensor(sensorId, 10))
                    .data("audit", audit.page(new AuditQuery.Filter(null, null, sensorId.toString(), null, null, null),
                            0, 10).items());
            return Response.ok(t.render(), MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).build();
        } catch (ProblemException e) {
            return web.error(e.status(), e.title(), e.getMessage(), "/ui/sensors");
        }
    }

    /** State, settings and backups, polled by the page. */
    @GET
    @Path("/live")
    public TemplateInstance live(@PathParam("id") UUID id) {
        ui.require();
        return live(live.instance(), id);
    }

    private TemplateInstance live(TemplateInstance t, UUID id) {
        return t.data("s", sensors.get(id)).data("health", health.of(id)).data("settings", settings.sensor(id)).data("backups", backupQuery.sensor(id));
    }

    @POST
    @Path("/backup")
    @Operation(summary = "Back up now")
    public Response backup(@PathParam("id") UUID id) {
        ui.require(Role.ADMIN);
        return web.act(back(id), () -> {
            BackupTasks.Started s = backups.collect(new BackupService.Targets(List.of(id), null, null, null), ui.username());
            auditContext.target("sensor:" + id + " collection:" + s.collectionId());
            auditContext.detail(s.queued() + " sensors queued, " + s.busy() + " busy");
            return s.busy() > 0 ? "A backup or restore of this sensor is already under way" : "Backup started";
        });
    }

    @POST
    @Path("/restore")
    @Operation(summary = "Restore a backup on its sensor")
    public Response restore(@PathParam("id") UUID id, @RestForm String backupId) {
        ui.require(Role.ADMIN);
        return web.act(back(id), () -> {
            UUID backup = Forms.requiredUuid("backupId", backupId);
            if (!id.equals(backupQuery.backup(backup).sensorId())) {
                throw ProblemException.badRequest("backupId: not a backup of this sensor");
            }
            auditContext.target("backup:" + backup);
            UUID task = backups.restore(backup, ui.username());
            auditContext.detail("restore task " + task);
            return "Restore started";
        });
    }

    @POST
    @Path("/reapply")
    @Operation(summary = "Push a sensor's settings again")
    public Response reapply(@PathParam("id") UUID id) {
        ui.require(Role.ADMIN);
        return web.act(back(id), () -> "Settings revision " + settingsService.reapply(id, ui.username()).revision()
                + " sent to the sensor");
    }

    @POST
    @Path("/duplicate")
    @Operation(summary = "Copy a sensor's settings to other sensors")
    public Response duplicate(@PathParam("id") UUID id, @RestForm String zoneId) {
        ui.require(Role.ADMIN);
        return web.act(back(id), () -> {
            UUID zone = Forms.requiredUuid("zoneId", zoneId);
            var targets = sensors.targets(null, new SensorAssignment.FilterSpec(null, null,
                    null, zone, null, null, null, null));
            SettingsService.Revision r = settingsService.duplicate(id, targets, ui.username());
            return "Settings copied as revision " + r.revision() + " to " + r.sensorsAffected() + " sensor"
                    + (r.sensorsAffected() == 1 ? "" : "s");
        });
    }

    @POST
    @Path("/activation")
    @Operation(summary = "Issue an activation file")
    public Response activate(@PathParam("id") UUID id, @RestForm String mode, @RestForm String validDays) {
        ui.require(Role.ADMIN);
        return web.act(back(id), () -> {
            ActivationMode m;
            Integer days;
            try {
                m = ActivationMode.valueOf(String.valueOf(mode));
                days = Forms.text(validDays) == null ? null : Integer.valueOf(validDays.strip());
            } catch (IllegalArgumentException e) {
                throw ProblemException.badRequest("mode: LOCALLY_MANAGED or CONSOLE_CONNECTED; validDays: a number");
            }
            auditContext.target("sensor:" + id);
            return "Activation file issued (" + activation.issue(id, m, days, ui.username()).mode()
                    + "); the sensor installs it at its next heartbeat";
        });
    }

    /** The activation file itself, to copy to a locally managed sensor ({@code sensor-agent activate}). */
    @GET
    @Path("/activation/{fileId}")
    @Produces("application/jose")
    public Response activationFile(@PathParam("id") UUID id, @PathParam("fileId") UUID fileId) {
        ui.require(Role.ADMIN);
        return Response.ok(activation.content(id, fileId))
                .header("Content-Disposition", "attachment; filename=\"activation-" + id + ".jws\"").build();
    }

    @POST
    @Path("/backup-allocation")
    @Operation(summary = "Set a sensor's backup allocation")
    public Response allocate(@PathParam("id") UUID id, @RestForm String mebibytes) {
        ui.require(Role.ADMIN);
        return web.act(back(id), () -> {
            Long bytes = mebibytes(mebibytes);
            auditContext.target("sensor:" + id);
            auditContext.detail("backup allocation " + (bytes == null ? "default" : bytes + " bytes"));
            BackupViews.Allocation a = backups.allocate(id, bytes, ui.username());
            return "Backup space set to " + (a.custom() ? a.bytes() / MIB + " MiB" : "the default");
        });
    }

    private static final long MIB = 1024L * 1024L;

    /** Whole MiB from 1 to 1 PiB, or blank for the configured default. */
    private static Long mebibytes(String value) {
        String v = Forms.text(value);
        if (v == null) {
            return null;
        }
        try {
            long m = Long.parseLong(v.strip());
            if (m >= 1 && m <= 1024L * 1024L * 1024L) {
                return m * MIB;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ProblemException.badRequest("mebibytes: a whole number of MiB from 1 to 1073741824, or empty for the default");
    }

    @POST
    @Path("/rename")
    @Operation(summary = "Rename a sensor")
    public Response rename(@PathParam("id") UUID id, @RestForm String name) {
        ui.require(Role.ADMIN);
        return web.act(back(id), () -> {
            auditContext.target("sensor:" + id);
            activation.rename(id, Forms.text(name), ui.username());
            return "Activation file with the name " + Forms.text(name) + " issued; the sensor takes the name when it "
                    + "installs it";
        });
    }

    @POST
    @Path("/delete")
    @Operation(summary = "Delete a sensor")
    public Response delete(@PathParam("id") UUID id) {
        ui.require(Role.ADMIN);
        return web.act("/ui/sensors", () -> {
            auditContext.target("sensor:" + id);
            sensors.delete(id);
            return "Sensor deleted; its certificates are revoked";
        });
    }

    /** The period of the sensor's charts: {@code 24h} (the default) or {@code 7d}. */
    private static HistoryCharts.Range range(String range) {
        if (range == null || range.isBlank()) {
            return HistoryCharts.Range.DAY;
        }
        for (HistoryCharts.Range r : HistoryCharts.Range.values()) {
            if (r.param().equals(range)) {
                return r;
            }
        }
        throw ProblemException.badRequest("range: 24h or 7d");
    }

    private static String back(UUID id) {
        return "/ui/sensors/" + id;
    }
}
