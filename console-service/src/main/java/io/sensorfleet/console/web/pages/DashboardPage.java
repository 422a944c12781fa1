package io.sensorfleet.console.web.pages;

import io.sensorfleet.console.expiry.Expirations;
import io.sensorfleet.console.updates.UpdateQuery;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.sensorfleet.console.backups.BackupQuery;
import io.sensorfleet.console.notifications.NotificationFilter;
import io.sensorfleet.console.notifications.NotificationService;
import io.sensorfleet.console.sensors.SensorCounts;
import io.sensorfleet.console.web.session.WebUser;
import jakarta.annotation.security.PermitAll;
import io.sensorfleet.console.health.SensorHealthQuery;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.Clock;
import java.util.List;

/**
 * The fleet at a glance: sensors by state and version, connectivity and health over the last day and
 * week, rollout progress, expiring activations and certificates, failed backups and updates, recent
 * notifications.
 */
@Path("/ui")
@PermitAll
@Produces(MediaType.TEXT_HTML)
public class DashboardPage {
    /** The newest rollouts whose progress the dashboard draws. */
    static final int ROLLOUTS_CHARTED = 5;
    /** Sensors per connectivity state over the whole fleet. */
    public record Totals(long total, long synced, long outOfSync, long timeDiffOffset, long disconnected) {
        static Totals of(List<SensorCounts.Group> groups) {
            return new Totals(groups.stream().mapToLong(SensorCounts.Group::total).sum(),
                    groups.stream().mapToLong(SensorCounts.Group::synced).sum(),
                    groups.stream().mapToLong(SensorCounts.Group::outOfSync).sum(),
                    groups.stream().mapToLong(SensorCounts.Group::timeDiffOffset).sum(),
                    groups.stream().mapToLong(SensorCounts.Group::disconnected).sum());
        }
    }

    @Inject
    WebUser ui;
    @Inject
    SensorCounts counts;
    @Inject
    SensorHealthQuery health;
    @Inject
    BackupQuery backups;
    @Inject
    NotificationService notifications;
    @Inject
    Expirations expirations;
    @Inject
    UpdateQuery updates;
    @Inject
    Clock clock;
    @Inject
    HistoryCharts charts;
    @Inject
    @Location("web/dashboard.html")
    Template dashboard;
    @Inject
    @Location("web/dashboard-counts.html")
    Template countsFragment;

    @GET
    public TemplateInstance show() {
        ui.require();
        java.time.Instant now = clock.instant();
        java.time.ZoneId zone = java.time.ZoneId.of(ui.zone());
        List<io.sensorfleet.console.sensors.SensorCounts.VersionCount> versions = counts.byVersion();
        return dashboard.data("nav", "dashboard")
                .data("day", charts.fleet(HistoryCharts.Range.DAY, now, zone))
                .data("week", charts.fleet(HistoryCharts.Range.WEEK, now, zone))
                .data("versionChart", HistoryCharts.versions(versions))
                .data("rolloutChart", HistoryCharts.rollouts(updates.rollouts(0, ROLLOUTS_CHARTED).items()))
                .data("totals", Totals.of(counts.count(SensorCounts.GroupBy.businessUnit)))
                .data("health", health.counts())
                .data("versions", versions)
                .data("expiring", counts.expiringActivations(clock.instant(), 10))
                .data("failures", backups.failures(null, 0, 10).items())
                .data("certificates", expirations.certificatesWithin(30))
                .data("updateFailures", updates.recentFailures(10))
                .data("notifications", notifications.list(new NotificationFilter(null, null, null, null, null, null,
                        null, null), 0, 10).items());
    }

    /** The state tiles alone, polled by the dashboard. */
    @GET
    @Path("/dashboard/counts")
    public TemplateInstance countsFragment() {
        ui.require();
        return countsFragment.data("totals", Totals.of(counts.count(SensorCounts.GroupBy.businessUnit)))
                .data("health", health.counts());
    }
}
