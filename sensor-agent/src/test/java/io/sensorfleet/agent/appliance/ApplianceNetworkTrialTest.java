package io.sensorfleet.agent.appliance;

import io.sensorfleet.agent.AgentLog;
import io.sensorfleet.agent.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The safe apply of network settings, with time moved by hand. */
class ApplianceNetworkTrialTest {
    static final Map<String, Object> NEW = Map.of("network.ipAddress", "192.0.2.20", "network.subnetMask", "24",
            "network.defaultGateway", "192.0.2.1");

    @TempDir
    Path state;
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T10:00:00Z"));
    final FakeNetwork network = new FakeNetwork();

    NetworkTrial trial() {
        return new NetworkTrial(network, new TrialJournal(state), clock, clock::advance, Duration.ofSeconds(5),
                AgentLog.discard());
    }

    /** A probe that answers after {@code after} of the clock's time has passed, or never. */
    NetworkTrial.ReachabilityProbe probe(Duration after) {
        Instant start = clock.instant();
        return new NetworkTrial.ReachabilityProbe() {
            @Override
            public boolean reachable() {
                return after != null && !clock.instant().isBefore(start.plus(after));
            }

            @Override
            public String target() {
                return "198.51.100.7";
            }
        };
    }

    @Test
    void aChangeTheConsoleAnswersThroughIsKept() throws Exception {
        NetworkTrial.Outcome outcome = trial().run(7, NEW, Duration.ofSeconds(120), probe(Duration.ofSeconds(15)));

        assertTrue(outcome.confirmed(), outcome.toString());
        assertEquals("192.0.2.20", network.state.get("network.ipAddress"));
        assertFalse(Files.exists(state.resolve(TrialJournal.FILE)));
    }

    @Test
    void aChangeTheConsoleNeverAnswersThroughIsRevertedWhenTheConfirmTimeIsOver() throws Exception {
        Instant start = clock.instant();
        NetworkTrial.Outcome outcome = trial().run(7, NEW, Duration.ofSeconds(120), probe(null));

        assertFalse(outcome.confirmed());
        assertEquals("network.ipAddress: reverted: console unreachable at 198.51.100.7 within 120 s",
                outcome.ackReason());
        assertEquals("192.0.2.10", network.state.get("network.ipAddress"));
        Duration waited = Duration.between(start, clock.instant());
        assertTrue(waited.compareTo(Duration.ofSeconds(120)) > 0 && waited.compareTo(Duration.ofSeconds(126)) < 0,
                waited.toString());
        assertFalse(Files.exists(state.resolve(TrialJournal.FILE)));
    }

    @Test
    void theConsoleAnsweringJustBeforeTheDeadlineKeepsTheChange() throws Exception {
        assertTrue(trial().run(7, NEW, Duration.ofSeconds(120), probe(Duration.ofSeconds(120))).confirmed());
    }

    @Test
    void aChangeTheSystemRefusesIsUndoneAndReportedWithItsKey() throws Exception {
        network.refuse = "network.defaultGateway";
        NetworkTrial.Outcome outcome = trial().run(7, NEW, Duration.ofSeconds(120), probe(Duration.ZERO));

        assertFalse(outcome.confirmed());
        assertEquals(List.of("network.defaultGateway"), outcome.keys());
        assertTrue(outcome.reason().startsWith("not applied: network.defaultGateway: refused"), outcome.reason());
        assertEquals("192.0.2.10", network.state.get("network.ipAddress"));
    }

    @Test
    void aCrashDuringTheConfirmTimeEndsRevertedAtTheNextStart() throws Exception {
        // The agent dies while waiting: the probe throws out of the loop as a kill would stop it.
        NetworkTrial.ReachabilityProbe dies = new NetworkTrial.ReachabilityProbe() {
            @Override
            public boolean reachable() {
                throw new IllegalStateException("killed");
            }

            @Override
            public String target() {
                return "198.51.100.7";
            }
        };
        try {
            trial().run(7, NEW, Duration.ofSeconds(120), dies);
        } catch (IllegalStateException expected) {
            // the process is gone
        }
        assertEquals("192.0.2.20", network.state.get("network.ipAddress"));
        assertTrue(Files.exists(state.resolve(TrialJournal.FILE)));

        NetworkTrial.Outcome recovered = trial().recover().orElseThrow();

        assertEquals(7, recovered.revision());
        assertFalse(recovered.confirmed());
        assertTrue(recovered.reason().startsWith("reverted: the agent stopped before the console at 198.51.100.7"),
                recovered.reason());
        assertEquals("192.0.2.10", network.state.get("network.ipAddress"));
        assertTrue(trial().recover().isEmpty());
    }

    @Test
    void nothingToTryWhenTheSystemAlreadyHasTheValues() {
        network.state.putAll(NEW);
        assertEquals(List.of(), trial().changes(NEW));
    }

    @Test
    void aFailedRestoreKeepsTheJournalSoTheNextStartTriesAgain() throws Exception {
        network.failRestore = true;
        NetworkTrial.Outcome outcome = trial().run(7, NEW, Duration.ofSeconds(10), probe(null));

        assertTrue(outcome.reason().contains("restoring the previous network failed"), outcome.reason());
        assertTrue(Files.exists(state.resolve(TrialJournal.FILE)));
        network.failRestore = false;
        assertTrue(trial().recover().isPresent());
        assertEquals("192.0.2.10", network.state.get("network.ipAddress"));
    }

    /** An appliance whose network is a map; snapshots are its address. */
    static final class FakeNetwork implements Appliance {
        final Map<String, Object> state = new HashMap<>(Map.of("network.ipAddress", "192.0.2.10",
                "network.subnetMask", "24", "network.defaultGateway", "192.0.2.1"));
        final List<Map<String, Object>> applied = new ArrayList<>();
        String refuse;
        boolean failRestore;

        @Override
        public Set<String> keys() {
            return Set.copyOf(NetworkTrial.KEYS);
        }

        @Override
        public void apply(Map<String, Object> values) throws ApplianceException {
            applied.add(values);
            state.putAll(values);
            if (refuse != null && values.containsKey(refuse)) {
                throw new ApplianceException(refuse, "refused by the test");
            }
        }

        @Override
        public Map<String, Object> readBack(Map<String, Object> desired) {
            return Map.copyOf(state);
        }

        @Override
        public NetworkSnapshot snapshotNetwork() {
            return new NetworkSnapshot(List.of(state.get("network.ipAddress") + "/24"),
                    List.of(state.get("network.defaultGateway").toString()), Map.of());
        }

        @Override
        public void restoreNetwork(NetworkSnapshot snapshot) throws ApplianceException {
            if (failRestore) {
                throw new ApplianceException("network.ipAddress", "restore refused by the test");
            }
            state.put("network.ipAddress", snapshot.addresses().getFirst().split("/")[0]);
            state.put("network.defaultGateway", snapshot.gateways().getFirst());
        }
    }
}
