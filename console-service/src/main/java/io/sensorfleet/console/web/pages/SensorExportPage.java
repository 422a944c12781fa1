package io.sensorfleet.console.web.pages;

import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.console.sensors.SensorExport;
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
import jakarta.ws.rs.core.StreamingOutput;

import java.util.List;

/**
 * The inventory's export links: the sensors the list's filter selects, as a CSV or JSON Lines
 * download. Not under /ui/sensors/, where every other segment is a sensor's id.
 */
@Path("/ui/export/sensors")
@PermitAll
@Produces({"text/csv", "application/jsonl", MediaType.TEXT_HTML})
public class SensorExportPage {
    @Inject
    WebUser ui;
    @Inject
    Web web;
    @Inject
    SensorExport export;

    @GET
    public Response export(@QueryParam("format") String format, @QueryParam("connectivity") String connectivity,
                           @QueryParam("version") String version, @QueryParam("name") String name,
                           @QueryParam("zoneId") String zoneId, @QueryParam("unassigned") String unassigned,
                           @QueryParam("siteId") String siteId, @QueryParam("regionId") String regionId,
                           @QueryParam("businessUnitId") String businessUnitId, @QueryParam("health") String health,
                           @QueryParam("updateStatus") String updateStatus, @QueryParam("label") List<String> labelFilter) {
        ui.require();
        SensorQuery q;
        try {
            q = SensorQuery.parse(connectivity, version, name, zoneId, unassigned, siteId, regionId, businessUnitId,
                    health, updateStatus, labelFilter);
            if (!"csv".equals(format) && !"jsonl".equals(format)) {
                throw ProblemException.badRequest("format: must be csv or jsonl");
            }
        } catch (ProblemException e) {
            return web.error(e.status(), e.title(), e.getMessage(), "/ui/sensors");
        }
        var filter = q.filter();
        boolean csv = "csv".equals(format);
        return Response.ok((StreamingOutput) out -> {
                    if (csv) {
                        export.csv(filter, out);
                    } else {
                        export.jsonLines(filter, out);
                    }
                }, csv ? "text/csv" : "application/jsonl")
                .header("Content-Disposition", "attachment; filename=\"sensors." + format + "\"").build();
    }

}
