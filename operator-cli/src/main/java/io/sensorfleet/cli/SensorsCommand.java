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

/** The sensor inventory: list with filters, one sensor, move sensors into a zone, label them, export them. */
@Command(name = "sensors", description = "List, show, assign, label and export sensors.",
        subcommands = {SensorsCommand.ListSensors.class, SensorsCommand.Show.class, SensorsCommand.Assign.class,
                SensorsCommand.Label.class, SensorsCommand.Export.class})
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

    @Command(name = "label", description = "Set labels (KEY=VALUE) and remove labels (--remove KEY) on sensors: listed "
            + "with --id, or all matching the filter options (--all: the whole fleet).")
    static final class Label extends ApiCommand {
        @Parameters(paramLabel = "KEY=VALUE", arity = "0..*", description = "Labels to set.")
        List<String> set;
        @Option(names = "--remove", paramLabel = "KEY", description = "A label key to remove; repeatable.")
        List<String> remove;
        @Option(names = "--id", paramLabel = "SENSOR_ID", description = "A sensor to label; repeatable.")
        List<UUID> ids;
        @Option(names = "--all", description = "Every sensor of the fleet (when no id and no filter is given).")
        boolean all;
        @Mixin
        SensorFilter filter;

        Label(Context ctx) {
            super(ctx);
        }

        @Override
        protected void run(ConsoleClient client) {
            Map<String, String> labels = new LinkedHashMap<>();
            for (String kv : set == null ? List.<String>of() : set) {
                int eq = kv.indexOf('=');
                if (eq <= 0) {
                    throw CliException.usage("'" + kv + "': give labels to set as KEY=VALUE");
                }
                labels.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
            if (labels.isEmpty() && (remove == null || remove.isEmpty())) {
                throw CliException.usage("give labels to set (KEY=VALUE) or --remove KEY");
            }
            Map<String, Object> body = targets(ids, filter, all);
            body.put("set", labels);
            body.put("remove", remove == null ? List.of() : remove);
            JsonNode r = client.post("/api/v1/sensors/labels", body);
            print(r, () -> ctx.out().println("Labelled " + r.path("sensors").asInt() + " sensors: "
                    + r.path("set").asInt() + " labels set or changed, " + r.path("removed").asInt() + " removed"));
        }
    }

    @Command(name = "export", description = "Export the sensors matching the filter options (all without) as CSV or "
            + "JSON Lines, streamed to --output FILE or to standard output.")
    static final class Export extends ApiCommand {
        enum Format { csv, jsonl }

        @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "csv", description = "csv (default) or jsonl.")
        Format format;
        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to this file (replaced) "
                + "instead of standard output.")
        java.nio.file.Path output;
        @Mixin
        SensorFilter filter;

        Export(Context ctx) {
            super(ctx);
        }

        @Override
        protected void run(ConsoleClient client) throws Exception {
            Map<String, Object> query = new LinkedHashMap<>(filter.query());
            query.put("format", format.name());
            if (output == null) {
                client.download("/api/v1/sensors/export", query,
                        in -> new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8).transferTo(ctx.out()));
                ctx.out().flush();
                return;
            }
            java.nio.file.Path part = output.resolveSibling(output.getFileName() + ".part");
            try (java.io.OutputStream out = java.nio.file.Files.newOutputStream(part)) {
                client.download("/api/v1/sensors/export", query, in -> in.transferTo(out));
            } catch (RuntimeException e) {
                java.nio.file.Files.deleteIfExists(part);
                throw e;
            }
            java.nio.file.Files.move(part, output, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            long rows = lines(output) - (format == Format.csv ? 1 : 0);
            com.fasterxml.jackson.databind.node.ObjectNode summary = com.fasterxml.jackson.databind.node.JsonNodeFactory
                    .instance.objectNode().put("file", output.toString()).put("format", format.name())
                    .put("sensors", rows);
            print(summary, () -> ctx.out().println("Exported " + rows + " sensors to " + output + " (" + format + ")"));
        }

        private static long lines(java.nio.file.Path file) throws java.io.IOException {
            try (var in = new java.io.BufferedInputStream(java.nio.file.Files.newInputStream(file))) {
                long n = 0;
                int b;
                while ((b = in.read()) >= 0) {
                    if (b == '\n') {
                        n++;
                    }
                }
                return n;
            }
        }
    }

    /** The body's sensors: listed ids, or the filter (the whole fleet only with --all). */
    static Map<String, Object> targets(List<UUID> ids, SensorFilter filter, boolean all) {
        boolean listed = ids != null && !ids.isEmpty();
        if (listed && (!filter.isEmpty() || all)) {
            throw CliException.usage("give sensor ids or filter options (or --all), not both");
        }
        if (!listed && filter.isEmpty() && !all) {
            throw CliException.usage("give sensor ids, filter options, or --all for the whole fleet");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        if (listed) {
            body.put("sensorIds", ids);
        } else {
            body.put("filter", filter.spec());
        }
        return body;
    }

    static String text(JsonNode n, String field) {
        return Output.text(n.get(field));
    }
}
