package io.sensorfleet.agent.appliance;

import io.sensorfleet.lib.settings.SettingDefinition;
import io.sensorfleet.lib.settings.SettingsCatalog;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The system properties, rendered as {@code name = value} lines to the sensor engine's
 * configuration file; when the file changed, the configured reload command tells the engine.
 */
final class EngineProperties implements Category {
    static final String PREFIX = "system.";

    private final ApplianceConfig config;
    private final Commands commands;

    EngineProperties(ApplianceConfig config, Commands commands) {
        this.config = config;
        this.commands = commands;
    }

    @Override
    public Set<String> keys() {
        return SettingsCatalog.all().stream().map(SettingDefinition::key).filter(k -> k.startsWith(PREFIX))
                .collect(Collectors.toSet());
    }

    @Override
    public void apply(Map<String, Object> values) throws ApplianceException {
        Map<String, Object> props = new TreeMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(PREFIX) && v != null && SettingsCatalog.find(k).isPresent()) {
                props.put(k, v);
            }
        });
        if (props.isEmpty()) {
            return;
        }
        Map<String, Object> before = read(Map.of());
        String firstChanged = props.keySet().stream().filter(k -> !SettingValues.same(k, props.get(k), before.get(k)))
                .findFirst().orElse(props.keySet().iterator().next());
        StringBuilder out = new StringBuilder("# written by sensor-agent from the console's settings; "
                + "a local edit is reported to the console as drift\n");
        props.forEach((k, v) -> out.append(k.substring(PREFIX.length())).append(" = ").append(v).append('\n'));
        boolean changed;
        try {
            changed = SystemFiles.write(config.systemRoot().resolve(config.engineConfig()), out.toString(), "rw-r--r--");
        } catch (IOException e) {
            throw new ApplianceException(firstChanged, "cannot write " + e.getMessage(), e);
        }
        if (changed && !config.engineReload().isEmpty()) {
            try {
                Commands.Result r = commands.run(config.engineReload());
                if (!r.ok()) {
                    throw new ApplianceException(firstChanged, "the engine did not reload (" + r.reason() + ")");
                }
            } catch (IOException e) {
                throw new ApplianceException(firstChanged, "cannot run " + config.engineReload().getFirst() + ": "
                        + e.getMessage(), e);
            }
        }
    }

    @Override
    public Map<String, Object> read(Map<String, Object> desired) {
        Map<String, Object> out = new LinkedHashMap<>();
        Optional<String> file = SystemFiles.read(config.systemRoot().resolve(config.engineConfig()));
        for (String line : file.orElse("").lines().toList()) {
            int eq = line.indexOf('=');
            if (eq <= 0 || line.startsWith("#")) {
                continue;
            }
            String key = PREFIX + line.substring(0, eq).strip();
            String text = line.substring(eq + 1).strip();
            SettingsCatalog.find(key).ifPresent(d -> out.put(key, typed(d, text)));
        }
        return out;
    }

    private static Object typed(SettingDefinition d, String text) {
        return switch (d.type()) {
            case INTEGER -> {
                try {
                    yield Long.parseLong(text);
                } catch (NumberFormatException e) {
                    yield text;
                }
            }
            case BOOLEAN -> text.equals("true") ? Boolean.TRUE : text.equals("false") ? Boolean.FALSE : text;
            default -> text;
        };
    }
}
