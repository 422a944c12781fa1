package io.sensorfleet.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The agent's software version: the product version of the build (the pom's project.version),
 * filtered into a resource so the jar, the CLI, the heartbeats and the packages agree.
 */
public final class AgentVersion {
    private AgentVersion() {
    }

    public static String current() {
        try (InputStream in = AgentVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("the agent version resource is missing: build the agent with Maven");
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", "").strip();
            if (version.isEmpty() || version.contains("${")) {
                throw new IllegalStateException("the agent version resource was not filtered by the build: " + version);
            }
            return version;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the agent version resource", e);
        }
    }
}
