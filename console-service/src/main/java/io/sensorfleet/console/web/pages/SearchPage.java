package io.sensorfleet.console.web.pages;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.console.sensors.SensorSearch;
import io.sensorfleet.console.web.Web;
import io.sensorfleet.console.web.session.WebUser;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;

/** The answers of the search box every page carries. */
@Path("/ui/search")
@PermitAll
@Produces(MediaType.TEXT_HTML)
public class SearchPage {
    static final int LIMIT = 50;

    @Inject
    WebUser ui;
    @Inject
    Web web;
    @Inject
    SensorSearch search;
    @Inject
    @Location("web/search.html")
    Template page;

    @GET
    public Response find(@QueryParam("q") String q) {
        ui.require();
        List<SensorSearch.Hit> hits;
        try {
            hits = search.find(q, LIMIT);
        } catch (ProblemException e) {
            return web.error(e.status(), e.title(), e.getMessage(), "/ui/sensors");
        }
        return Response.ok(page.data("nav", "search").data("q", q.strip()).data("hits", hits).data("limit", LIMIT)
                .data("minSubstring", SensorSearch.MIN_SUBSTRING).data("prefixOnly", q.strip().length() < SensorSearch.MIN_SUBSTRING)
                .render(), MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).build();
    }
}
