package io.sensorfleet.agent.settings;

import io.sensorfleet.agent.appliance.Appliance;
import io.sensorfleet.agent.appliance.ApplianceException;
import io.sensorfleet.agent.appliance.NetworkTrial;
import io.sensorfleet.agent.appliance.SettingValues;
import io.sensorfleet.lib.settings.SettingsCatalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Puts one settings revision in force on the appliance: the network first, on trial (reverted when
 * the console cannot be reached through it), then every other category; the agent's own files
 * after that. What it reports is what the system reads back, and a value the system does not show
 * after applying is a failure, not an acknowledgement.
 */
public final class ApplianceApplier {
    static final String REVERTED = "network-reverted.txt";

    /**
     * How applying went: the values in force, or the reason it failed (naming the keys first);
     * {@code networkTried} when the network was changed (and kept or reverted), so connections
     * opened before are stale.
     */
    public record Result(long revision, boolean applied, Map<String, Object> values, String reason,
                         boolean networkTried) {
    }

    private final Appliance appliance;
    private final NetworkTrial trial;
    private final SettingsStore store;
    private final Path revertedFile;

    public ApplianceApplier(Appliance appliance, NetworkTrial trial, SettingsStore store, Path stateDir) {
        this.appliance = appliance;
        this.trial = trial;
        this.store = store;
        this.revertedFile = stateDir.resolve(REVERTED);
    }

    /** A trial the agent stopped during, undone at start-up: the failure to report for its revision. */
    public Optional<Result> recover() {
        return trial.recover().map(o -> {
            remember(o.revision(), o.ackReason());
            return new Result(o.revision(), false, null, o.ackReason(), true);
        });
    }

    /**
     * Applies a validated revision.
     *
     * @param probe how the trial tells that the console answers through a changed network
     */
    public Result apply(long revision, Map<String, Object> values, NetworkTrial.ReachabilityProbe probe)
            throws IOException, InterruptedException {
        List<String> network = trial.changes(values);
        boolean tried = !network.isEmpty();
        if (tried) {
            Optional<String> reverted = reverted(revision);
            if (reverted.isPresent()) {
                // Trying the same revision again would cut the sensor off for the confirmation time once more.
                return new Result(revision, false, null, reverted.get(), false);
            }
            Object seconds = values.getOrDefault("network.confirmSeconds",
                    SettingsCatalog.find("network.confirmSeconds").orElseThrow().defaultValue());
            NetworkTrial.Outcome outcome = trial.run(revision, values,
                    Duration.ofSeconds(((Number) seconds).longValue()), probe);
            if (!outcome.confirmed()) {
                remember(revision, outcome.ackReason());
                return new Result(revision, false, null, outcome.ackReason(), true);
            }
        }
        Map<String, Object> rest = new LinkedHashMap<>(values);
        rest.keySet().removeAll(NetworkTrial.KEYS);
        try {
            appliance.apply(rest);
        } catch (ApplianceException e) {
            return new Result(revision, false, null, e.getMessage(), tried);
        }
        store.apply(revision, values);
        Map<String, Object> inForce = appliance.readBack(values);
        List<String> notShown = SettingValues.differences(values, inForce, appliance.keys());
        if (!notShown.isEmpty()) {
            List<String> parts = new ArrayList<>();
            notShown.forEach(k -> parts.add(k + " (the system reports " + inForce.getOrDefault(k, "nothing") + ")"));
            return new Result(revision, false, null, String.join(", ", notShown) + ": applied, but not in force: "
                    + String.join("; ", parts), tried);
        }
        return new Result(revision, true, visible(inForce), null, tried);
    }

    /** Values in force now: the system's for the keys the appliance manages, the agent's files for the rest. */
    public Map<String, Object> current() {
        return visible(appliance.readBack(store.applied().values()));
    }

    /** Keys whose value in force differs from the one last applied, wherever the change was made. */
    public List<String> drift() {
        SettingsStore.Applied applied = store.applied();
        if (applied.revision() < 0) {
            return List.of();
        }
        TreeSet<String> out = new TreeSet<>(store.drift());
        out.removeAll(appliance.keys());
        out.addAll(SettingValues.differences(applied.values(), appliance.readBack(applied.values()), appliance.keys()));
        return List.copyOf(out);
    }

    private Map<String, Object> visible(Map<String, Object> inForce) {
        Map<String, Object> out = new LinkedHashMap<>(store.current());
        out.keySet().removeAll(appliance.keys());
        out.putAll(inForce);
        out.keySet().removeIf(k -> SettingsCatalog.find(k).map(d -> d.secret()).orElse(true));
        return out;
    }

    private Optional<String> reverted(long revision) throws IOException {
        if (!Files.exists(revertedFile)) {
            return Optional.empty();
        }
        String text = Files.readString(revertedFile);
        int nl = text.indexOf('\n');
        return nl > 0 && text.substring(0, nl).equals(Long.toString(revision))
                ? Optional.of(text.substring(nl + 1).strip()) : Optional.empty();
    }

    private void remember(long revision, String reason) {
        try {
            Files.writeString(revertedFile, revision + "\n" + reason + "\n");
        } catch (IOException e) {
            // Without the note the revision is tried once more at the next start, and reverted again.
        }
    }
}
