package io.sensorfleet.agent.settings;

import io.sensorfleet.lib.json.JsonException;
import io.sensorfleet.lib.json.Json;
import io.sensorfleet.agent.AgentJson;
import io.sensorfleet.lib.settings.SettingDefinition;
import io.sensorfleet.lib.settings.SettingsCatalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The sensor's configuration files, one per category in {@code <state-dir>/config/}:
 * {@code network.conf}, {@code time.conf}, {@code backup.conf}, {@code system.conf},
 * {@code certificates.conf}, lines of {@code key=<JSON value>}; secrets in {@code secrets.conf}
 * (mode 0600). {@code applied.json} records the revision and values last applied, which is how a
 * change made on the sensor itself (drift) is noticed.
 */
public final class SettingsStore {
    static final String APPLIED = "applied.json";
    static final String SECRETS = "secrets.conf";

    /** What was last applied. */
    public record Applied(long revision, Map<String, Object> values) {
    }

    private final Path dir;
    private final Json json = AgentJson.mapper();

    public SettingsStore(Path stateDir) {
        this.dir = stateDir.resolve("config");
    }

    public Path dir() {
        return dir;
    }

    /** Writes every file of the revision, each atomically, then records it as applied. */
    public Applied apply(long revision, Map<String, Object> values) throws IOException {
        Files.createDirectories(dir);
        Map<String, Map<String, Object>> files = new TreeMap<>();
        for (SettingDefinition d : SettingsCatalog.all()) {
            files.computeIfAbsent(fileOf(d), f -> new TreeMap<>());
        }
        values.forEach((key, value) -> SettingsCatalog.find(key)
                .ifPresent(d -> files.get(fileOf(d)).put(key, value)));
        for (var file : files.entrySet()) {
            write(dir.resolve(file.getKey()), render(file.getValue()),
                    file.getKey().equals(SECRETS) ? "rw-------" : "rw-r--r--");
        }
        Map<String, Object> visible = withoutSecrets(values);
        write(dir.resolve(APPLIED), json.writeValueAsString(new Applied(revision, visible)), "rw-r--r--");
        return new Applied(revision, visible);
    }

    /** What applied.json says, or revision -1 when nothing was ever applied. */
    public Applied applied() {
        try {
            return json.readValue(Files.readString(dir.resolve(APPLIED)), Applied.class);
        } catch (NoSuchFileException e) {
            return new Applied(-1, Map.of());
        } catch (IOException e) {
            return new Applied(-1, Map.of());
        }
    }

    /** The non-secret values as the files hold them now. */
    public Map<String, Object> current() {
        Map<String, Object> values = new LinkedHashMap<>();
        for (String file : new TreeSet<>(SettingsCatalog.all().stream().map(SettingsStore::fileOf).toList())) {
            if (file.equals(SECRETS)) {
                continue;
            }
            try {
                for (String line : Files.readAllLines(dir.resolve(file))) {
                    int eq = line.indexOf('=');
                    if (eq > 0 && !line.startsWith("#")) {
                        values.put(line.substring(0, eq).strip(), parse(line.substring(eq + 1).strip()));
                    }
                }
            } catch (IOException e) {
                // A missing or unreadable file: its settings are gone, which drift() reports.
            }
        }
        return values;
    }

    /** Keys whose value on disk differs from the one applied. */
    public List<String> drift() {
        Applied applied = applied();
        if (applied.revision() < 0) {
            return List.of();
        }
        Map<String, Object> now = current();
        List<String> changed = new ArrayList<>();
        for (String key : new TreeSet<>(union(applied.values().keySet(), now.keySet()))) {
            if (!Objects.equals(normal(applied.values().get(key)), normal(now.get(key)))) {
                changed.add(key);
            }
        }
        return changed;
    }

    private String render(Map<String, Object> values) throws JsonException {
        StringBuilder out = new StringBuilder("# written by sensor-agent from the console's settings; "
                + "local edits are reported to the console as drift\n");
        for (var e : values.entrySet()) {
            out.append(e.getKey()).append('=').append(json.writeValueAsString(e.getValue())).append('\n');
        }
        return out.toString();
    }

    private Object parse(String text) {
        try {
            return json.readValue(text, Object.class);
        } catch (IOException e) {
            return text;
        }
    }

    private static void write(Path file, String content, String perms) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(perms)));
        try {
            Files.writeString(tmp, content);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static String fileOf(SettingDefinition d) {
        return d.secret() ? SECRETS : d.category() + ".conf";
    }

    private static Map<String, Object> withoutSecrets(Map<String, Object> values) {
        Map<String, Object> out = new TreeMap<>();
        values.forEach((k, v) -> SettingsCatalog.find(k).filter(d -> !d.secret()).ifPresent(d -> out.put(k, v)));
        return out;
    }

    private static Object normal(Object v) {
        return v instanceof Number n ? n.longValue() : v;
    }

    private static java.util.Set<String> union(java.util.Set<String> a, java.util.Set<String> b) {
        java.util.Set<String> s = new java.util.HashSet<>(a);
        s.addAll(b);
        return s;
    }
}
