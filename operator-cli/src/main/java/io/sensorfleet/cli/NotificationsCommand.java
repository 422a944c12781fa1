package io.sensorfleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.sensorfleet.cli.SensorsCommand.text;

/** Notifications: the latest ones, then (--follow) each new one as it appears, by polling. */
@Command(name = "notifications", description = "Print notifications as they come.",
        subcommands = {NotificationsCommand.Tail.class})
final class NotificationsCommand {
    public enum Category { SYSTEM, ALERT }

    public enum Severity { WARNING, MINOR, MAJOR, CRITICAL }

    @Command(name = "tail", description = "Print the latest notifications, oldest first; with --follow, keep polling and print new ones.")
    static final class Tail extends ApiCommand {
        /** Ids remembered to recognise a notification already printed; older ones fall off the newest page anyway. */
        private static final int REMEMBERED = 10_000;

        @Option(names = {"-n", "--lines"}, paramLabel = "N", defaultValue = "20", description = "How many to print first (1-500, default 20).")
        int lines;
        @Option(names = {"-f", "--follow"}, description = "Keep polling and print new notifications until interrupted.")
        boolean follow;
        @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "5", description = "Seconds between polls with --follow (1-3600, default 5).")
        int interval;
        @Option(names = "--category", paramLabel = "CATEGORY", description = "SYSTEM or ALERT.")
        Category category;
        @Option(names = "--min-severity", paramLabel = "SEVERITY", description = "WARNING, MINOR, MAJOR or CRITICAL.")
        Severity minSeverity;
        @Option(names = "--sensor", paramLabel = "SENSOR_ID", description = "Only this sensor's.")
        UUID sensor;
        @Option(names = "--zone", paramLabel = "ZONE_ID", description = "Only this zone's.")
        UUID zone;

        private final LinkedHashSet<String> seen = new LinkedHashSet<>();

        Tail(Context ctx) {
            super(ctx);
        }

        @Override
        protected void run(ConsoleClient client) throws InterruptedException {
            if (lines < 1 || lines > 500) {
                throw CliException.usage("--lines must be 1 to 500");
            }
            if (interval < 1 || interval > 3600) {
                throw CliException.usage("--interval must be 1 to 3600 seconds");
            }
            JsonNode first = poll(client, lines);
            if (!follow && api.json()) {
                Output.json(ctx.out(), first);
                return;
            }
            emit(newest(first));
            while (follow) {
                Thread.sleep(interval * 1000L);
                emit(newest(poll(client, 500)));
            }
        }

        private JsonNode poll(ConsoleClient client, int size) {
            Map<String, Object> q = new LinkedHashMap<>();
            q.put("category", category);
            q.put("minSeverity", minSeverity);
            q.put("sensorId", sensor);
            q.put("zoneId", zone);
            q.put("page", 0);
            q.put("size", size);
            return client.get("/api/v1/notifications", q);
        }

        /** The items of a newest-first page not printed yet, oldest first. */
        private List<JsonNode> newest(JsonNode page) {
            List<JsonNode> fresh = new ArrayList<>();
            for (JsonNode n : page.path("items")) {
                if (!seen.contains(n.path("id").asText())) {
                    fresh.add(0, n);
                }
            }
            return fresh;
        }

        private void emit(List<JsonNode> fresh) {
            for (JsonNode n : fresh) {
                seen.add(n.path("id").asText());
                if (api.json()) {
                    ctx.out().println(n.toString());
                } else {
                    ctx.out().println(Table.cell(line(n)));
                }
            }
            for (Iterator<String> it = seen.iterator(); seen.size() > REMEMBERED && it.hasNext(); ) {
                it.next();
                it.remove();
            }
            ctx.out().flush();
        }

        static String line(JsonNode n) {
            String where = text(n, "sensorName") != null ? " [" + text(n, "sensorName") + "]" : "";
            String message = text(n, "message");
            return text(n, "occurredAt") + " " + text(n, "severity") + " " + text(n, "type") + where + " "
                    + text(n, "title") + (message == null ? "" : ": " + message);
        }
    }
}
