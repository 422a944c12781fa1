package io.sensorfleet.agent;

import io.sensorfleet.lib.json.Json;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the daemon says what it does. An interface rather than a logging framework so that a
 * simulator running thousands of agents in one JVM can silence or prefix them without global config.
 */
public interface AgentLog {

    void info(String message);

    void warn(String message);

    /** Timestamped lines, {@code 2026-01-01T00:00:00.123Z INFO  message}. */
    static AgentLog lines(PrintWriter out, Clock clock) {
        return new AgentLog() {
            @Override
            public void info(String message) {
                write("INFO ", message);
            }

            @Override
            public void warn(String message) {
                write("WARN ", message);
            }

            private void write(String level, String message) {
                out.println(clock.instant() + " " + level + " " + message);
                out.flush();
            }
        };
    }

    /** One JSON object per line, for log shippers: {@code {"time":…,"level":…,"message":…}}. */
    static AgentLog json(PrintWriter out, Clock clock) {
        Json mapper = AgentJson.mapper();
        return new AgentLog() {
            @Override
            public void info(String message) {
                write("INFO", message);
            }

            @Override
            public void warn(String message) {
                write("WARN", message);
            }

            private void write(String level, String message) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("time", clock.instant());
                line.put("level", level);
                line.put("message", message);
                out.println(mapper.writeValueAsString(line));
                out.flush();
            }
        };
    }

    static AgentLog discard() {
        return new AgentLog() {
            @Override
            public void info(String message) {
            }

            @Override
            public void warn(String message) {
            }
        };
    }
}
