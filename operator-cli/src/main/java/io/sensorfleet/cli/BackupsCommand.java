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

import static io.sensorfleet.cli.SensorsCommand.text;

/** Sensor backups: collect now, list, restore one on its sensor. */
@Command(name = "backups", description = "Back up sensors now, list backups, restore one.",
        subcommands = {BackupsCommand.Now.class, BackupsCommand.ListBackups.class, BackupsCommand.Restore.class})
final class BackupsCommand {

    @Command(name = "now", description = "Collect a fresh backup of the listed sensors, a zone's, or --all.")
    static final class Now extends ApiCommand {
        @Option(names = "--sensor", paramLabel = "SENSOR_ID", description = "A sensor (repeat for more).")
        List<UUID> sensors;
        @Option(names = "--zone", paramLabel = "ZONE_ID", description = "Every sensor of a zone.")
        UUID zone;
        @Option(names = "--all", description = "The whole fleet.")
        boolean all;

        Now(Context ctx) {
            super(ctx);
        }

        @Override
        protected void run(ConsoleClient client) {
            int targets = (sensors == null || sensors.isEmpty() ? 0 : 1) + (zone == null ? 0 : 1) + (all ? 1 : 0);
            if (targets != 1) {
                throw CliException.usage("give exactly one of --sensor, --zone or --all");
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("sensorIds", sensors);
            body.put("zoneId", zone);
            body.put("all", all ? Boolean.TRUE : null);
            body.values().removeIf(v -> v == null);
            JsonNode r = client.post("/api/v1/backups/collections", body);
            print(r, () -> Output.fields(ctx.out(), r));
        }
    }

    @Command(name = "list", description = "List backups, newest first (every page unless --page).")
    static final class ListBackups extends ApiCommand {
        @Option(names = "--sensor", paramLabel = "SENSOR_ID", description = "Only this sensor's.")
        UUID sensor;
        @Mixin
        Paging paging;

        ListBackups(Context ctx) {
            super(ctx);
        }

        @Override
        protected void run(ConsoleClient client) {
            Map<String, Object> q = new LinkedHashMap<>();
            q.put("sensorId", sensor);
            JsonNode page = paging.fetch(client, "/api/v1/backups", q, 500);
            print(page, () -> {
                Table t = new Table("ID", "SENSOR", "FILE", "VERSION", "TAKEN", "BYTES", "STATE");
                for (JsonNode b : page.path("items")) {
                    t.row(text(b, "id"), text(b, "sensorName"), text(b, "fileName"), text(b, "softwareVersion"),
                            text(b, "takenAt"), text(b, "sizeBytes"), text(b, "state"));
                }
                t.print(ctx.out());
            });
        }
    }

    @Command(name = "restore", description = "Restore a backup on the sensor that took it.")
    static final class Restore extends ApiCommand {
        @Parameters(paramLabel = "BACKUP_ID")
        UUID id;

        Restore(Context ctx) {
            super(ctx);
        }

        @Override
        protected void run(ConsoleClient client) {
            JsonNode r = client.post("/api/v1/backups/" + id + "/restore", null);
            print(r, () -> ctx.out().println("Restore of " + id + " started (task " + text(r, "taskId") + ")"));
        }
    }
}
