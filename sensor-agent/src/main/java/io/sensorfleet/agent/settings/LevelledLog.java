package io.sensorfleet.agent.settings;

import io.sensorfleet.agent.AgentLog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

/**
 * The daemon's log at the level the console set ({@code system.logLevel}): WARN drops the
 * informational lines, ERROR the warnings too. A new level takes effect in the running agent at its
 * next line — the applied settings are re-read when their file changed, not per line.
 */
public final class LevelledLog implements AgentLog {
    private final AgentLog out;
    private final SettingsStore store;
    private final Path applied;
    private FileTime seen;
    private volatile String level = "INFO";

    public LevelledLog(AgentLog out, SettingsStore store) {
        this.out = out;
        this.store = store;
        this.applied = store.dir().resolve(SettingsStore.APPLIED);
    }

    @Override
    public void info(String message) {
        String l = level();
        if (!l.equals("WARN") && !l.equals("ERROR")) {
            out.info(message);
        }
    }

    @Override
    public void warn(String message) {
        if (!level().equals("ERROR")) {
            out.warn(message);
        }
    }

    private synchronized String level() {
        try {
            FileTime now = Files.getLastModifiedTime(applied);
            if (!now.equals(seen)) {
                seen = now;
                Object l = store.applied().values().get("system.logLevel");
                level = l instanceof String s ? s : "INFO";
            }
        } catch (IOException e) {
            // Nothing applied yet: the default level.
        }
        return level;
    }
}
