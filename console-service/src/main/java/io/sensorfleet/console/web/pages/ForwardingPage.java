package io.sensorfleet.console.web.pages;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.sensorfleet.console.platform.AuditContext;
import io.sensorfleet.console.platform.Role;
import io.sensorfleet.console.common.Page;
import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.console.forwarding.DeliveryLog;
import io.sensorfleet.console.forwarding.DeliveryView;
import io.sensorfleet.console.forwarding.ForwardingRuleService;
import io.sensorfleet.console.forwarding.RuleRequest;
import io.sensorfleet.console.forwarding.RuleView;
import io.sensorfleet.console.sites.SiteService;
import io.sensorfleet.console.zones.ZoneService;
import io.sensorfleet.console.forwarding.TestResult;
import io.sensorfleet.console.web.Forms;
import io.sensorfleet.console.web.Web;
import io.sensorfleet.console.web.session.WebUser;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
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

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Forwarding rules to SIEMs (Admin only, as in the REST API): the rules with their delivery
 * state, a new rule with one syslog or webhook action, a rule's edit form (its name, severity,
 * filters with the sensors picked by name, and several actions with their webhook headers and CA
 * certificates), a test message per action, and each
 * rule's delivery log with replay of parked messages.
 */
@Path("/ui/forwarding")
@PermitAll
@Produces(MediaType.TEXT_HTML)
public class ForwardingPage {
    private static final String BACK = "/ui/forwarding";
    /** The element of the edit form's sensor picker. */
    private static final String PICKER = "fr-picks";

    @Inject
    WebUser ui;
    @Inject
    Web web;
    @Inject
    ForwardingRuleService rules;
    @Inject
    DeliveryLog log;
    @Inject
    AuditContext audit;
    @Inject
    @Location("web/forwarding.html")
    Template page;
    @Inject
    @Location("web/deliveries.html")
    Template deliveries;
    @Inject
    @Location("web/forwarding-edit.html")
    Template edit;
    @Inject
    @Location("web/sensor-picker.html")
    Template pickerFragment;
    @Inject
    SensorPicker picker;
    @Inject
    ZoneService zones;
    @Inject
    SiteService sites;

    @GET
    public TemplateInstance show(@QueryParam("page") @DefaultValue("0") int pageNo) {
        ui.require(Role.ADMIN);
        var list = rules.list(Math.max(0, pageNo), 50);
        return page.data("nav", "forwarding").data("rules", list).data("pager", Pager.of(list, BACK + "?"));
    }

    @GET
    @Path("/{id}")
    public Response deliveries(@PathParam("id") UUID id, @QueryParam("state") String state,
                               @QueryParam("page") @DefaultValue("0") int pageNo) {
        ui.require(Role.ADMIN);
        try {
            String s = Forms.text(state);
            Page<DeliveryView> list = log.deliveries(id, s, null, null, Math.max(0, pageNo), 50);
            return Response.ok(deliveries.data("nav", "forwarding").data("rule", rules.get(id)).data("list", list)
                    .data("state", s).data("pager", Pager.of(list, BACK + "/" + id + "?state=" + (s == null ? "" : s) + "&"))
                    .render(), MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).build();
        } catch (ProblemException e) {
            return web.error(e.status(), e.title(), e.getMessage(), BACK);
        }
    }

    @POST
    @Operation(summary = "Create a forwarding rule")
    public Response create(@RestForm String name, @RestForm String minSeverity, @RestForm String reportSystemNotifications,
                           @RestForm String reportAlerts, @RestForm String type, @RestForm String host,
                           @RestForm String port, @RestForm String transport, @RestForm String format,
                           @RestForm String timeZone, @RestForm String url) {
        ui.require(Role.ADMIN);
        return web.act(BACK, () -> {
            Integer p;
            try {
                p = Forms.text(port) == null ? null : Integer.valueOf(port.strip());
            } catch (NumberFormatException e) {
                throw ProblemException.badRequest("port: a number from 1 to 65535");
            }
            boolean webhook = "WEBHOOK".equals(type);
            RuleRequest.Action action = new RuleRequest.Action(null, type, webhook ? null : Forms.text(host),
                    webhook ? null : p, webhook ? null : Forms.text(transport), webhook ? null : Forms.text(format),
                    webhook ? null : Forms.text(timeZone), webhook ? Forms.text(url) : null, webhook ? Map.of() : null, null, null);
            var created = rules.create(new RuleRequest(Forms.text(name), true, Forms.text(minSeverity),
                    "true".equals(reportSystemNotifications), "true".equals(reportAlerts), null, List.of(action)));
            audit.target("forwarding-rule:" + created.id());
            return "Forwarding rule " + created.name() + " created";
        });
    }

    @GET
    @Path("/{id}/edit")
    public Response edit(@PathParam("id") UUID id) {
        ui.require(Role.ADMIN);
        try {
            RuleView r = rules.get(id);
            return form(r, RuleForm.of(r), FieldErrors.NONE, 200);
        } catch (ProblemException e) {
            return web.error(e.status(), e.title(), e.getMessage(), BACK);
        }
    }

    /** The sensor picker of the edit form: the ticked sensors, then those whose name contains {@code q}. */
    @GET
    @Path("/sensors")
    public TemplateInstance pick(@QueryParam("q") String q, @QueryParam("sensorId") List<String> chosen) {
        ui.require(Role.ADMIN);
        return pickerFragment.data("picker", picker.pick(PICKER, q, chosen));
    }

    /**
     * Saves the form. A refused one is answered with the form as posted (header values excepted)
     * and each problem next to its field, with the status the API gives; nothing is saved.
     */
    @POST
    @Path("/{id}/edit")
    @Operation(summary = "Change a forwarding rule")
    public Response update(@PathParam("id") UUID id, @BeanParam RulePost post) {
        ui.require(Role.ADMIN);
        RuleView current;
        try {
            current = rules.get(id);
        } catch (ProblemException e) {
            return web.error(e.status(), e.title(), e.getMessage(), BACK);
        }
        try {
            audit.target("forwarding-rule:" + id);
            var saved = rules.update(id, post.bind(current));
            return web.act(BACK, () -> "Forwarding rule " + saved.name() + " saved");
        } catch (ProblemException e) {
            if (e.status() != 400) {
                return web.error(e.status(), e.title(), e.getMessage(), BACK);
            }
            FieldErrors errors = FieldErrors.of(e.getMessage(), post.rowOfAction());
            try {
                return form(current, RuleForm.of(post, current, errors), errors, e.status());
            } catch (ProblemException unreadable) {
                return web.error(e.status(), e.title(), e.getMessage(), BACK);
            }
        }
    }

    private Response form(RuleView r, RuleForm.Shown shown, FieldErrors errors, int status) {
        List<SiteService.SiteView> allSites = sites.sites(null);
        Map<UUID, String> siteNames = allSites.stream().collect(Collectors.toMap(SiteService.SiteView::id,
                SiteService.SiteView::name));
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(edit
                .data("nav", "forwarding").data("rule", r).data("form", shown).data("errors", errors.all())
                .data("err", errors.fields())
                .data("severities", List.of("WARNING", "MINOR", "MAJOR", "CRITICAL"))
                .data("zones", RuleForm.zones(zones.list(null), siteNames, shown.zoneIds()))
                .data("sites", RuleForm.sites(allSites, shown.siteIds()))
                .data("picker", shown.sensorsOnForm() ? picker.pick(PICKER, null, shown.sensorIds()) : null)
                .render()).build();
    }

    @POST
    @Path("/{id}/delete")
    @Operation(summary = "Delete a forwarding rule")
    public Response delete(@PathParam("id") UUID id) {
        ui.require(Role.ADMIN);
        return web.act(BACK, () -> {
            audit.target("forwarding-rule:" + id);
            rules.delete(id);
            return "Forwarding rule deleted";
        });
    }

    @POST
    @Path("/{id}/actions/{actionId}/test")
    @Operation(summary = "Send a test message")
    public Response test(@PathParam("id") UUID id, @PathParam("actionId") UUID actionId) {
        ui.require(Role.ADMIN);
        return web.act(BACK, () -> {
            audit.target("forwarding-rule:" + id + " action:" + actionId);
            TestResult r = rules.test(id, actionId);
            audit.detail((r.delivered() ? "delivered: " : "not delivered: ") + r.answer());
            return (r.delivered() ? "Test message delivered in " + r.durationMs() + " ms: " : "Test message NOT delivered: ")
                    + r.answer();
        });
    }

    @POST
    @Path("/{id}/replay")
    @Operation(summary = "Replay a rule's parked messages")
    public Response replay(@PathParam("id") UUID id) {
        ui.require(Role.ADMIN);
        return web.act(BACK + "/" + id, () -> {
            audit.target("forwarding-rule:" + id);
            return log.replayParked(id, null) + " parked messages queued again";
        });
    }
}
