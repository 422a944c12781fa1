package io.sensorfleet.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The agent's software version, kept in a resource so the jar, the CLI and the heartbeats agree. */
public final class AgentVersion {
    /** Used when the resource is missing, e.g. when classes run from an IDE without resources. */
    public static final String FALLBACK = "1.0.0";

    private AgentVersion() {
    }

    public static String current() {
        try (InputStream in = AgentVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return FALLBACK;
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", FALLBACK).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the agent version resource", e);
        }
    }
}
