package io.sensorfleet.agent;

import io.sensorfleet.lib.json.Json;

/**
 * The JSON settings the protocol requires (ISO-8601 instants, unknown properties ignored: a newer
 * console may add fields, an older agent must still understand the rest), also used for state files.
 */
public final class AgentJson {
    private AgentJson() {
    }

    public static Json mapper() {
        return Json.lenient();
    }
}
