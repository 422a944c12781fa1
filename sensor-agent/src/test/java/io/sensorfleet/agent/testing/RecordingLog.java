package io.sensorfleet.agent.testing;

import io.sensorfleet.agent.AgentLog;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps log lines for assertions. */
public final class RecordingLog implements AgentLog {
    private final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public void info(String message) {
        lines.add("INFO " + message);
    }

    @Override
    public void warn(String message) {
        lines.add("WARN " + message);
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }
}
