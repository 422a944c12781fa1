package io.sensorfleet.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Settings of one scope (global, site, zone, sensor): the values set at exactly that scope. */
@Command(name = "settings", description = "Get and set the settings of a scope.",
        subcommands = {SettingsCommand.Get.class, SettingsCommand.Set.class})
final class SettingsCommand {
    public enum Scope { global, site, zone, sensor }

    /** The API path of a scope; global takes no id, the others need one. */
    static String path(Scope scope, UUID id) {
        if (scope == Scope.global) {
            if (id != null) {
                throw CliException.usage("the global scope takes no --id");
            }
            return "/api/v1/settings/global";
        }
        if (id == null) {
            throw CliException.usage("the " + scope + " scope needs --id");
        }
        return "/api/v1/settings/" + scope + "s/" + id;
    }

    /**
     * KEY=VALUE pairs; a VALUE that reads as JSON (85, true, null, "text", [..]) is that value,
     * anything else is text; null removes the value at this scope.
     */
    static Map<String, Object> values(List<String> pairs) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw CliException.usage("not KEY=VALUE: " + pair);
            }
            String key = pair.substring(0, eq).strip();
            if (values.containsKey(key)) {
                throw CliException.usage("key given twice: " + key);
            }
            values.put(key, value(pair.substring(eq + 1)));
        }
        return values;
    }

    static Object value(String raw) {
        if (raw.isBlank()) {
            return raw;
        }
        try {
            return ConsoleClient.JSON.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(raw);
        } catch (IOException e) {
            return raw;
        }
    }

    @Command(name = "get", description = "Show the values set at a scope (not inherited ones).")
    static final class Get extends ApiCommand {
        @Option(names = "--scope", paramLabel = "SCOPE", defaultValue = "global", description = "global (default), site, zone or sensor.")
        Scope scope;
        @Option(names = "--id", paramLabel = "ID", description = "The site, zone or sensor.")
        UUID id;

        Get(Context ctx) {
            super(ctx);
        }

        @Override
        protected void run(ConsoleClient client) {
            JsonNode r = client.get(path(scope, id));
            print(r, () -> {
                Table t = new Table("KEY", "VALUE");
                for (Iterator<Map.Entry<String, JsonNode>> it = r.path("values").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    t.row(e.getKey(), Output.text(e.getValue()));
                }
                t.print(ctx.out());
            });
        }
    }

    @Command(name = "set", description = "Set (or with null remove) values at a scope; pushed to the sensors it reaches.")
    static final class Set extends ApiCommand {
        @Option(names = "--scope", paramLabel = "SCOPE", defaultValue = "global", description = "global (default), site, zone or sensor.")
        Scope scope;
        @Option(names = "--id", paramLabel = "ID", description = "The site, zone or sensor.")
        UUID id;
        @Option(names = "--confirm", description = "Confirm a change of system properties (addresses, time, engine).")
        boolean confirm;
        @Parameters(paramLabel = "KEY=VALUE", arity = "1..*")
        List<String> pairs;

        Set(Context ctx) {
            super(ctx);
        }

        @Override
        protected void run(ConsoleClient client) {
            String path = path(scope, id);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("values", values(pairs));
            if (confirm) {
                body.put("confirm", true);
            }
            JsonNode r = client.patch(path, body);
            print(r, () -> ctx.out().println("Revision " + r.path("revision").asLong() + " pushed to "
                    + r.path("sensorsAffected").asInt() + " sensors"));
        }
    }
}
