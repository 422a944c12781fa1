package io.sensorfleet.console.web.pages;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.sensorfleet.console.common.Page;
import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.console.notifications.NotificationCategory;
import io.sensorfleet.console.notifications.NotificationFilter;
import io.sensorfleet.console.notifications.NotificationService;
import io.sensorfleet.console.notifications.NotificationView;
import io.sensorfleet.console.notifications.Severity;
import io.sensorfleet.console.web.Web;
import io.sensorfleet.console.web.session.WebUser;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** System notifications and sensor alerts, newest first, by category and minimal severity. */
@Path("/ui/notifications")
@PermitAll
@Produces(MediaType.TEXT_HTML)
public class NotificationsPage {
    @Inject
    WebUser ui;
    @Inject
    Web web;
    @Inject
    NotificationService notifications;
    @Inject
    @Location("web/notifications.html")
    Template page;

    @GET
    public Response show(@QueryParam("category") String category, @QueryParam("minSeverity") String minSeverity,
                         @QueryParam("page") @DefaultValue("0") int pageNo) {
        ui.require();
        NotificationCategory c;
        Severity s;
        try {
            c = category == null || category.isBlank() ? null : NotificationCategory.valueOf(category);
            s = minSeverity == null || minSeverity.isBlank() ? null : Severity.valueOf(minSeverity);
        } catch (IllegalArgumentException e) {
            ProblemException p = ProblemException.badRequest("category: SYSTEM or ALERT; minSeverity: WARNING, MINOR, "
                    + "MAJOR or CRITICAL");
            return web.error(p.status(), p.title(), p.getMessage(), "/ui/notifications");
        }
        Page<NotificationView> list = notifications.list(new NotificationFilter(c, null, s, null, null, null, null, null),
                Math.max(0, pageNo), 50);
        String base = "/ui/notifications?category=" + (c == null ? "" : c) + "&minSeverity=" + (s == null ? "" : s) + "&";
        return Response.ok(page.data("nav", "notifications").data("list", list).data("pager", Pager.of(list, base))
                .data("category", c).data("minSeverity", s).data("categories", NotificationCategory.values())
                .data("severities", Severity.values()).render(), MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).build();
    }
}
