package io.sensorfleet.console.updates;

import io.sensorfleet.lib.packages.PackageSignature;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The vendor keys update packages must be signed with, from {@code sensorfleet.updates.trusted-keys}
 * (files or PEM texts). Sensors are told the same keys with each update task, in addition to any they
 * are configured with themselves. An entry that cannot be read stops the console at start with the reason.
 */
@ApplicationScoped
public class VendorKeys {
    private final UpdatesConfig config;

    VendorKeys(UpdatesConfig config) {
        this.config = config;
    }

    private Map<String, PublicKey> keys = Map.of();
    private List<String> pems = List.of();

    @PostConstruct
    void load() {
        Map<String, PublicKey> all = new LinkedHashMap<>();
        for (String entry : config.trustedKeys().orElse(List.of())) {
            String pem = entry.contains("-----BEGIN") ? entry : read(entry);
            try {
                all.putAll(PackageSignature.publicKeys(pem));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("sensorfleet.updates.trusted-keys entry '" + abbreviate(entry)
                        + "': " + e.getMessage());
            }
        }
        keys = Map.copyOf(all);
        pems = all.values().stream().map(PackageSignature::pem).toList();
    }

    public Map<String, PublicKey> trusted() {
        return keys;
    }

    /** The trusted keys as PEM, for sensors. */
    public List<String> pems() {
        return pems;
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            throw new IllegalStateException("sensorfleet.updates.trusted-keys: cannot read " + file + ": " + e.getMessage());
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }
}
