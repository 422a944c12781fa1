package io.sensorfleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static io.sensorfleet.cli.SensorsCommand.text;

/** One-time connection strings that enroll sensors: create (shown once), list, revoke. */
@Command(name = "connection-strings", description = "Create, list and revoke connection strings.",
        subcommands = {ConnectionStringsCommand.Create.class, ConnectionStringsCommand.ListTokens.class,
                ConnectionStringsCommand.Revoke.class})
final class ConnectionStringsCommand {
    public enum Status { ACTIVE, USED, EXPIRED, REVOKED }

    @Command(name = "create", description = "Create a connection string; it is shown only now. With --count, that many at once.")
    static final class Create extends ApiCommand {
        @Option(names = "--description", paramLabel = "TEXT", description = "What it is for (e.g. the rack).")
        String description;
        @Option(names = "--zone", paramLabel = "ZONE_ID", description = "Zone the sensor joins.")
        UUID zone;
        @Option(names = "--ttl-seconds", paramLabel = "SECONDS", description = "Lifetime (at least 60; the console's default otherwise).")
        Long ttlSeconds;
        @Option(names = "--count", paramLabel = "N", description = "Create N strings at once (one per sensor to install).")
        Integer count;

        Create(Context ctx) {
            super(ctx);
        }

        @Override
        protected void run(ConsoleClient client) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("description", description);
            body.put("zoneId", zone);
            body.put("ttlSeconds", ttlSeconds);
            if (count != null) {
                body.put("count", count);
            }
            body.values().removeIf(v -> v == null);
            JsonNode r = client.post(count == null ? "/api/v1/connection-strings" : "/api/v1/connection-strings/batch", body);
            print(r, () -> {
                if (r.isArray() || r.has("items")) {
                    for (JsonNode one : r.isArray() ? r : r.get("items")) {
                        ctx.out().println(text(one, "connectionString"));
                    }
                    return;
                }
                ctx.err().println("Connection string " + text(r, "id") + ", expires " + text(r, "expiresAt")
                        + " (shown only now):");
                ctx.err().flush();
                ctx.out().println(text(r, "connectionString"));
            });
        }
    }

    @Command(name = "list", description = "List connection strings, newest first (every page unless --page).")
    static final class ListTokens extends ApiCommand {
        @Option(names = "--status", paramLabel = "STATUS", description = "ACTIVE, USED, EXPIRED or REVOKED.")
        Status status;
        @Mixin
        Paging paging;

        ListTokens(Context ctx) {
            super(ctx);
        }

        @Override
        protected void run(ConsoleClient client) {
            Map<String, Object> q = new LinkedHashMap<>();
            q.put("status", status);
            JsonNode page = paging.fetch(client, "/api/v1/connection-strings", q, 500);
            print(page, () -> {
                Table t = new Table("ID", "STATUS", "DESCRIPTION", "ZONE", "CREATED BY", "EXPIRES", "USED BY");
                for (JsonNode c : page.path("items")) {
                    t.row(text(c, "id"), text(c, "status"), text(c, "description"), text(c, "zoneId"),
                            text(c, "createdBy"), text(c, "expiresAt"), text(c, "usedBySensorId"));
                }
                t.print(ctx.out());
            });
        }
    }

    @Command(name = "revoke", description = "Revoke an unused connection string.")
    static final class Revoke extends ApiCommand {
        @Parameters(paramLabel = "ID")
        UUID id;

        Revoke(Context ctx) {
            super(ctx);
        }

        @Override
        protected void run(ConsoleClient client) {
            JsonNode r = client.delete("/api/v1/connection-strings/" + id);
            print(r, () -> ctx.out().println("Revoked " + id + " (status " + text(r, "status") + ")"));
        }
    }
}
