package io.sensorfleet.agent.appliance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The time zone: the {@code /etc/localtime} link into the zone database and {@code /etc/timezone}
 * (Debian's name file); timedatectl makes the link when systemd runs.
 */
final class TimeZone implements Category {
    static final String KEY = "time.timeZone";
    static final String ZONEINFO = "usr/share/zoneinfo/";

    private final ApplianceConfig config;
    private final Commands commands;

    TimeZone(ApplianceConfig config, Commands commands) {
        this.config = config;
        this.commands = commands;
    }

    @Override
    public Set<String> keys() {
        return Set.of(KEY);
    }

    @Override
    public void apply(Map<String, Object> values) throws ApplianceException {
        if (!(values.get(KEY) instanceof String zone)) {
            return;
        }
        // The validator knows the zone; the appliance may still lack its data (a trimmed tzdata).
        if (!Files.isRegularFile(config.path(ZONEINFO + zone))) {
            throw new ApplianceException(KEY, "no time zone data for " + zone + " in /" + ZONEINFO);
        }
        try {
            if (config.systemd()) {
                Commands.Result r = commands.run(List.of("timedatectl", "set-timezone", zone));
                if (!r.ok()) {
                    throw new ApplianceException(KEY, "timedatectl refused it (" + r.reason() + ")");
                }
            } else {
                // The link points at the system's own path, not the root's: it is read by a system whose root is "/".
                SystemFiles.symlink(config.path("etc/localtime"), Path.of("/" + ZONEINFO + zone));
            }
            SystemFiles.write(config.path("etc/timezone"), zone + "\n", "rw-r--r--");
        } catch (IOException e) {
            throw new ApplianceException(KEY, "cannot write " + e.getMessage(), e);
        }
    }

    /** The zone the {@code /etc/localtime} link names: what libc and the JVM use. */
    @Override
    public Map<String, Object> read(Map<String, Object> desired) {
        Map<String, Object> out = new LinkedHashMap<>();
        try {
            String target = Files.readSymbolicLink(config.path("etc/localtime")).toString();
            int at = target.indexOf("zoneinfo/");
            if (at >= 0) {
                out.put(KEY, target.substring(at + "zoneinfo/".length()));
            }
        } catch (IOException | UnsupportedOperationException e) {
            // Not a link (a copied zone file): the name is unknown, which shows as drift.
        }
        return out;
    }
}
