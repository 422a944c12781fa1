package io.sensorfleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The sensor inventory: list with filters, one sensor, move sensors into a zone. */
@Command(name = "sensors", description = "List, show and assign sensors.",
        subcommands = {SensorsCommand.ListSensors.class, SensorsCommand.Show.class, SensorsCommand.Assign.class})
final class SensorsCommand {
    static final int MAX_PAGE = 1000;

    @Command(name = "list", description = "List sensors (every page unless --page), by name.")
    static final class ListSensors extends ApiCommand {
        @Mixin
        SensorFilter filter;
        @Mixin
        Paging paging;

        ListSensors(Context ctx) {
            super(ctx);
        }

        @Override
        protected void run(ConsoleClient client) {
            JsonNode page = paging.fetch(client, "/api/v1/sensors", filter.query(), MAX_PAGE);
            print(page, () -> {
                Table t = new Table("NAME", "ID", "ZONE", "VERSION", "CONNECTIVITY", "HEALTH", "LAST SEEN");
                for (JsonNode s : page.path("items")) {
                    t.row(text(s, "name"), text(s, "id"), text(s, "zoneName"), text(s, "softwareVersion"),
                            text(s, "connectivity"), text(s, "healthStatus"), text(s, "lastSeen"));
                }
                t.print(ctx.out());
                ctx.out().println(t.size() + " of " + page.path("total").asLong() + " sensors");
            });
        }
    }

    @Command(name = "show", description = "Show one sensor.")
    static final class Show extends ApiCommand {
        @Parameters(paramLabel = "SENSOR_ID")
        UUID id;

        Show(Context ctx) {
            super(ctx);
        }

        @Override
        protected void run(ConsoleClient client) {
            JsonNode s = client.get("/api/v1/sensors/" + id);
            print(s, () -> Output.fields(ctx.out(), s));
        }
    }

    @Command(name = "assign", description = "Move sensors (listed, or all matching the filter options) into a zone, or out of any zone with --no-zone.")
    static final class Assign extends ApiCommand {
        @Parameters(paramLabel = "SENSOR_ID", arity = "0..*", description = "Sensors to move; or give filter options.")
        List<UUID> ids;
        @Option(names = "--to-zone", paramLabel = "ZONE_ID", description = "Target zone.")
        UUID zone;
        @Option(names = "--no-zone", description = "Take the sensors out of any zone.")
        boolean noZone;
        @Option(names = "--all", description = "Every sensor of the fleet (when no id and no filter is given).")
        boolean all;
        @Mixin
        SensorFilter filter;

        Assign(Context ctx) {
            super(ctx);
        }

        @Override
        protected void run(ConsoleClient client) {
            if ((zone == null) == !noZone) {
                throw CliException.usage("give exactly one of --to-zone ZONE_ID or --no-zone");
            }
            boolean listed = ids != null && !ids.isEmpty();
            if (listed && (!filter.isEmpty() || all)) {
                throw CliException.usage("give sensor ids or filter options (or --all), not both");
            }
            if (!listed && filter.isEmpty() && !all) {
                throw CliException.usage("give sensor ids, filter options, or --all for the whole fleet");
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("zoneId", zone);
            if (listed) {
                body.put("sensorIds", ids);
            } else {
                body.put("filter", filter.spec());
            }
            JsonNode r = client.post("/api/v1/sensors/assignment", body);
            print(r, () -> ctx.out().println("Moved " + r.path("changed").asInt() + " sensors "
                    + (zone == null ? "out of any zone" : "into zone " + zone)));
        }
    }

    static String text(JsonNode n, String field) {
        return Output.text(n.get(field));
    }
}
