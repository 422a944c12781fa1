package io.sensorfleet.agent.appliance;

import io.sensorfleet.agent.AgentLog;
import io.sensorfleet.agent.Sleeper;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Changes the network the way {@code netplan try} does: the previous configuration is journalled,
 * the change is made, and unless the console is reached through the new configuration within
 * the confirmation time, the previous one is put back. A pushed setting never leaves a sensor
 * cut off from its console.
 */
public final class NetworkTrial {
    /** The settings that decide whether the console can be reached. */
    public static final List<String> KEYS = List.of("network.ipAddress", "network.subnetMask",
            "network.defaultGateway", "network.dnsServers");

    /** Whether the console answers now, through whatever network is in force. */
    public interface ReachabilityProbe {
        boolean reachable();

        /** The console address probed, as the reason names it. */
        String target();
    }

    /** How a trial ended. {@code reason} is null when confirmed. */
    public record Outcome(long revision, boolean confirmed, List<String> keys, String reason) {
        /** The reason an acknowledgement carries: the keys first, so the console can name them. */
        public String ackReason() {
            return String.join(", ", keys) + ": " + reason;
        }
    }

    private final Appliance appliance;
    private final TrialJournal journal;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Duration probeEvery;
    private final AgentLog log;

    public NetworkTrial(Appliance appliance, TrialJournal journal, Clock clock, Sleeper sleeper, Duration probeEvery,
                        AgentLog log) {
        this.appliance = appliance;
        this.journal = journal;
        this.clock = clock;
        this.sleeper = sleeper;
        this.probeEvery = probeEvery;
        this.log = log;
    }

    /** The network keys whose desired value the system does not have yet: empty when no trial is needed. */
    public List<String> changes(Map<String, Object> desired) {
        List<String> managed = KEYS.stream().filter(appliance.keys()::contains).toList();
        return SettingValues.differences(desired, appliance.readBack(desired), managed);
    }

    /**
     * Applies the network keys of {@code values} and waits for the console.
     *
     * @param confirm how long the console has to answer through the new configuration
     */
    public Outcome run(long revision, Map<String, Object> values, Duration confirm, ReachabilityProbe probe)
            throws InterruptedException {
        List<String> keys = changes(values);
        NetworkSnapshot previous;
        Instant deadline = clock.instant().plus(confirm);
        try {
            previous = appliance.snapshotNetwork();
            journal.begin(new TrialJournal.Pending(revision, keys, previous, deadline,
                    probe.target(), confirm.toSeconds()));
        } catch (ApplianceException | IOException e) {
            return new Outcome(revision, false, keys, "not applied: cannot record the network in force first ("
                    + e.getMessage() + ")");
        }
        try {
            appliance.apply(networkOnly(values));
        } catch (ApplianceException e) {
            return revert(revision, List.of(e.key()), previous, "not applied: " + e.getMessage());
        }
        log.info("network settings of revision " + revision + " in force (" + keys + "); waiting up to "
                + confirm.toSeconds() + " s for the console at " + probe.target());
        while (!clock.instant().isAfter(deadline)) {
            if (probe.reachable()) {
                closeJournal();
                return new Outcome(revision, true, keys, null);
            }
            sleeper.sleep(probeEvery);
        }
        return revert(revision, keys, previous, "reverted: console unreachable at " + probe.target() + " within "
                + confirm.toSeconds() + " s");
    }

    /**
     * At start-up: a trial the agent did not finish (it stopped or crashed during it) is undone,
     * since nobody saw the console answer through it.
     */
    public Optional<Outcome> recover() {
        Optional<TrialJournal.Pending> open;
        try {
            open = journal.open();
        } catch (IOException e) {
            log.warn("cannot read the open network trial " + e.getMessage() + "; the network is left as it is");
            return Optional.empty();
        }
        return open.map(p -> revert(p.revision(), p.keys(), p.previous(), "reverted: the agent stopped before the console at "
                + p.console() + " answered through the new network (confirmation time " + p.confirmSeconds() + " s)"));
    }

    private Outcome revert(long revision, List<String> keys, NetworkSnapshot previous, String reason) {
        try {
            appliance.restoreNetwork(previous);
            closeJournal();
            log.warn("network settings of revision " + revision + " " + reason + "; previous network restored");
            return new Outcome(revision, false, keys, reason);
        } catch (ApplianceException e) {
            // The journal stays: the next start tries the restore again.
            log.warn("network settings of revision " + revision + " " + reason + "; restoring the previous network failed: "
                    + e.getMessage());
            return new Outcome(revision, false, keys, reason + "; restoring the previous network failed: " + e.getMessage());
        }
    }

    private void closeJournal() {
        try {
            journal.close();
        } catch (IOException e) {
            log.warn("cannot remove the network trial journal: " + e.getMessage());
        }
    }

    private static Map<String, Object> networkOnly(Map<String, Object> values) {
        Set<String> keys = Set.copyOf(KEYS);
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (keys.contains(k)) {
                out.put(k, v);
            }
        });
        return out;
    }
}
