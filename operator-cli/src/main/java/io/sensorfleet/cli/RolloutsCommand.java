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

/** Software update rollouts of an uploaded package: start, follow, pause, resume. */
@Command(name = "rollouts", description = "Start, follow, pause and resume software update rollouts.",
        subcommands = {RolloutsCommand.Start.class, RolloutsCommand.Status.class, RolloutsCommand.Pause.class,
                RolloutsCommand.Resume.class})
final class RolloutsCommand {

    static void printRollout(Context ctx, JsonNode r) {
        Output.fields(ctx.out(), r);
    }

    @Command(name = "start", description = "Roll a package out to sensors, zones, sites or --all (exactly one kind).")
    static final class Start extends ApiCommand {
        @Option(names = "--package", required = true, paramLabel = "PACKAGE_ID", description = "The uploaded update package.")
        UUID packageId;
        @Option(names = "--sensor", paramLabel = "SENSOR_ID", description = "A sensor (repeat for more).")
        List<UUID> sensors;
        @Option(names = "--zone", paramLabel = "ZONE_ID", description = "A zone (repeat for more).")
        List<UUID> zones;
        @Option(names = "--site", paramLabel = "SITE_ID", description = "A site (repeat for more).")
        List<UUID> sites;
        @Option(names = "--all", description = "The whole fleet.")
        boolean all;
        @Option(names = "--canary", paramLabel = "N", description = "Sensors updated first (console default 1).")
        Integer canary;
        @Option(names = "--batch", paramLabel = "N", description = "Batch size after the canary (console default 10).")
        Integer batch;
        @Option(names = "--max-parallel", paramLabel = "N", description = "At most N sensors at once (default: the batch size).")
        Integer maxParallel;
        @Option(names = "--failure-threshold", paramLabel = "PERCENT", description = "Halt when the failed share exceeds it (default 0).")
        Integer failureThreshold;

        Start(Context ctx) {
            super(ctx);
        }

        @Override
        protected void run(ConsoleClient client) {
            int kinds = (present(sensors) ? 1 : 0) + (present(zones) ? 1 : 0) + (present(sites) ? 1 : 0) + (all ? 1 : 0);
            if (kinds != 1) {
                throw CliException.usage("give exactly one kind of target: --sensor, --zone, --site or --all");
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("packageId", packageId);
            body.put("sensorIds", present(sensors) ? sensors : null);
            body.put("zoneIds", present(zones) ? zones : null);
            body.put("siteIds", present(sites) ? sites : null);
            body.put("all", all ? Boolean.TRUE : null);
            body.put("canarySize", canary);
            body.put("batchSize", batch);
            body.put("maxParallel", maxParallel);
            body.put("failureThresholdPercent", failureThreshold);
            body.values().removeIf(v -> v == null);
            JsonNode r = client.post("/api/v1/updates/rollouts", body);
            print(r, () -> printRollout(ctx, r));
        }

        private static boolean present(List<UUID> l) {
            return l != null && !l.isEmpty();
        }
    }

    @Command(name = "status", description = "One rollout's state and stages; without an id, every rollout (newest first).")
    static final class Status extends ApiCommand {
        @Parameters(paramLabel = "ROLLOUT_ID", arity = "0..1")
        UUID id;
        @Mixin
        Paging paging;

        Status(Context ctx) {
            super(ctx);
        }

        @Override
        protected void run(ConsoleClient client) {
            if (id != null) {
                JsonNode r = client.get("/api/v1/updates/rollouts/" + id);
                print(r, () -> printRollout(ctx, r));
                return;
            }
            JsonNode page = paging.fetch(client, "/api/v1/updates/rollouts", Map.of(), 200);
            print(page, () -> {
                Table t = new Table("ID", "VERSION", "TARGET", "STATE", "BATCH", "STAGES", "CREATED");
                for (JsonNode r : page.path("items")) {
                    t.row(text(r, "id"), text(r, "version"), text(r, "target"), text(r, "state"),
                            text(r, "currentBatch") + "/" + text(r, "batches"), text(r, "stages"), text(r, "createdAt"));
                }
                t.print(ctx.out());
            });
        }
    }

    @Command(name = "pause", description = "Pause a rollout: no further sensor starts.")
    static final class Pause extends ApiCommand {
        @Parameters(paramLabel = "ROLLOUT_ID")
        UUID id;

        Pause(Context ctx) {
            super(ctx);
        }

        @Override
        protected void run(ConsoleClient client) {
            JsonNode r = client.post("/api/v1/updates/rollouts/" + id + "/pause", null);
            print(r, () -> printRollout(ctx, r));
        }
    }

    @Command(name = "resume", description = "Resume a paused rollout.")
    static final class Resume extends ApiCommand {
        @Parameters(paramLabel = "ROLLOUT_ID")
        UUID id;

        Resume(Context ctx) {
            super(ctx);
        }

        @Override
        protected void run(ConsoleClient client) {
            JsonNode r = client.post("/api/v1/updates/rollouts/" + id + "/resume", null);
            print(r, () -> printRollout(ctx, r));
        }
    }
}
