package io.sensorfleet.console.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * This console's software version: the product version of the build (the pom's project.version),
 * filtered into a resource. Not configurable: update packages newer than it are refused so that no
 * sensor runs a newer version than its console, and a setting would let the two drift apart.
 */
public final class ProductVersion {
    private static final String CURRENT = read();

    private ProductVersion() {
    }

    public static String current() {
        return CURRENT;
    }

    private static String read() {
        try (InputStream in = ProductVersion.class.getResourceAsStream("product-version.properties")) {
            if (in == null) {
                throw new IllegalStateException("the product version resource is missing: build the console with Maven");
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", "").strip();
            if (version.isEmpty() || version.contains("${")) {
                throw new IllegalStateException("the product version resource was not filtered by the build: " + version);
            }
            return version;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the product version resource", e);
        }
    }
}
