package io.sensorfleet.agent.settings;

import io.sensorfleet.agent.AgentLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SettingsLevelledLogTest {
    @TempDir
    Path state;

    @Test
    void aLogLevelPushedToTheRunningAgentTakesEffectAtItsNextLine() throws Exception {
        List<String> lines = new ArrayList<>();
        AgentLog sink = new AgentLog() {
            @Override
            public void info(String message) {
                lines.add("INFO " + message);
            }

            @Override
            public void warn(String message) {
                lines.add("WARN " + message);
            }
        };
        SettingsStore store = new SettingsStore(state);
        LevelledLog log = new LevelledLog(sink, store);

        log.info("before any settings");
        store.apply(1, Map.of("system.logLevel", "WARN"));
        log.info("dropped at WARN");
        log.warn("kept at WARN");
        store.apply(2, Map.of("system.logLevel", "ERROR"));
        log.warn("dropped at ERROR");
        store.apply(3, Map.of("system.logLevel", "DEBUG"));
        log.info("kept at DEBUG");

        assertEquals(List.of("INFO before any settings", "WARN kept at WARN", "INFO kept at DEBUG"), lines);
    }
}
