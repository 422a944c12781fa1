package io.sensorfleet.console.updates;

import io.sensorfleet.lib.packages.UpdateManifest;
import io.sensorfleet.lib.packages.UpgradePath;
import io.sensorfleet.protocol.v1.update.Versions;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Who gets a package when: each sensor the package applies to gets a batch (0 is the canary group
 * when there is one, then batches of {@code batchSize} in inventory order); every other sensor is
 * refused with the reason — already on that version, or the package does not apply to its version,
 * naming the version to install first when the uploaded packages lead there.
 */
final class RolloutPlan {
    /** A sensor as the plan sees it. */
    record Sensor(UUID id, String name, String version) {
    }

    /** One sensor's place in the rollout: a batch, or null with the reason it is refused. */
    record Target(UUID sensorId, String name, String fromVersion, Integer batch, int position, String refusal) {
    }

    /** The targets and the number of batches. */
    record Plan(List<Target> targets, int batches) {
        long refused() {
            return targets.stream().filter(t -> t.batch() == null).count();
        }
    }

    private RolloutPlan() {
    }

    static Plan of(List<Sensor> sensors, UpdateManifest pkg, Collection<UpdateManifest> available, String consoleVersion,
                   int canary, int batchSize) {
        List<Sensor> ordered = sensors.stream()
                .sorted(Comparator.comparing(Sensor::name).thenComparing(s -> s.id().toString())).toList();
        List<Target> out = new ArrayList<>();
        int eligible = 0;
        int position = 0;
        for (Sensor s : ordered) {
            String refusal = refusal(s, pkg, available, consoleVersion);
            Integer batch = null;
            if (refusal == null) {
                batch = batchOf(eligible++, canary, batchSize);
            }
            out.add(new Target(s.id(), s.name(), s.version(), batch, position++, refusal));
        }
        int batches = eligible == 0 ? 0 : batchOf(eligible - 1, canary, batchSize) + 1;
        return new Plan(out, batches);
    }

    /** The batch of the n-th (from 0) sensor the package applies to. */
    static int batchOf(int n, int canary, int batchSize) {
        if (canary > 0) {
            return n < canary ? 0 : 1 + (n - canary) / batchSize;
        }
        return n / batchSize;
    }

    static String refusal(Sensor s, UpdateManifest pkg, Collection<UpdateManifest> available, String consoleVersion) {
        if (Versions.newer(pkg.version(), consoleVersion)) {
            return "version " + pkg.version() + " is newer than the console's " + consoleVersion
                    + ": a sensor never runs a newer version than its console";
        }
        if (Versions.compare(pkg.version(), s.version()) == 0) {
            return "already runs version " + pkg.version();
        }
        if (!Versions.valid(s.version()) || Versions.newer(s.version(), pkg.version())) {
            return "runs version " + s.version() + ", newer than " + pkg.version() + ": no downgrades";
        }
        if (pkg.appliesTo(s.version())) {
            return null;
        }
        String base = "package " + pkg.version() + " applies to " + pkg.describeAppliesTo() + ", not to version "
                + s.version();
        Optional<String> hop = UpgradePath.nextHop(s.version(), pkg, available);
        return hop.map(v -> base + ": first update to " + v)
                .orElse(base + ": no uploaded package leads there; upload one that applies to " + s.version());
    }
}
