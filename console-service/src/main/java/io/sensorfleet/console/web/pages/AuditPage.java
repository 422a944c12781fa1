package io.sensorfleet.console.web.pages;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.sensorfleet.console.audit.AuditQuery;
import io.sensorfleet.console.common.Page;
import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.console.web.Forms;
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

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The audit log, filtered by actor, action and target; the export stays the REST API's (/api/v1/audit/export). */
@Path("/ui/audit")
@PermitAll
@Produces(MediaType.TEXT_HTML)
public class AuditPage {
    @Inject
    WebUser ui;
    @Inject
    Web web;
    @Inject
    AuditQuery query;
    @Inject
    @Location("web/audit.html")
    Template page;

    @GET
    public Response show(@QueryParam("actor") String actor, @QueryParam("action") String action,
                         @QueryParam("target") String target, @QueryParam("page") @DefaultValue("0") int pageNo) {
        ui.require();
        String a = Forms.text(actor);
        String act = Forms.text(action);
        String t = Forms.text(target);
        if (a != null && a.length() > 200 || act != null && act.length() > 200 || t != null && t.length() > 500) {
            ProblemException e = ProblemException.badRequest("actor, action: at most 200 characters; target: 500");
            return web.error(e.status(), e.title(), e.getMessage(), "/ui/audit");
        }
        Page<AuditQuery.View> rows = query.page(new AuditQuery.Filter(a, act, t, null, null, null), Math.max(0, pageNo), 50);
        String base = "/ui/audit?actor=" + enc(a) + "&action=" + enc(act) + "&target=" + enc(t) + "&";
        return Response.ok(page.data("nav", "audit").data("rows", rows).data("pager", Pager.of(rows, base))
                .data("actor", a).data("action", act).data("target", t).render(),
                MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).build();
    }

    private static String enc(String s) {
        return s == null ? "" : URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
