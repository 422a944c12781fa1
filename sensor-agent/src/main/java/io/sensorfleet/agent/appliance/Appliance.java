package io.sensorfleet.agent.appliance;

import java.util.Map;
import java.util.Set;

/**
 * The operating system of the sensor, as far as settings change it. An implementation puts
 * pushed values in force and reports what the system itself says afterwards, so an
 * acknowledgement and a drift check never rest on the agent's own files.
 */
public interface Appliance {

    /** The catalogue keys this appliance puts in force; the others stay in the agent's own files. */
    Set<String> keys();

    /**
     * Puts each given value of {@link #keys()} in force. A key without a value is left as the
     * system has it (an appliance whose address nobody set keeps the one it booted with).
     *
     * @throws ApplianceException naming the first key that could not be applied
     */
    void apply(Map<String, Object> values) throws ApplianceException;

    /**
     * What the system reports now for the managed keys among {@code desired} (their values only
     * choose, for instance, which address family to read).
     */
    Map<String, Object> readBack(Map<String, Object> desired);

    /** The network configuration in force, kept so that a change that cuts the sensor off can be undone. */
    NetworkSnapshot snapshotNetwork() throws ApplianceException;

    /** Puts a snapshot taken by {@link #snapshotNetwork()} back in force. */
    void restoreNetwork(NetworkSnapshot snapshot) throws ApplianceException;

    /** An appliance that changes nothing: the simulator, and a sensor whose operating system is managed otherwise. */
    static Appliance none() {
        return new Appliance() {
            @Override
            public Set<String> keys() {
                return Set.of();
            }

            @Override
            public void apply(Map<String, Object> values) {
            }

            @Override
            public Map<String, Object> readBack(Map<String, Object> desired) {
                return Map.of();
            }

            @Override
            public NetworkSnapshot snapshotNetwork() {
                return NetworkSnapshot.EMPTY;
            }

            @Override
            public void restoreNetwork(NetworkSnapshot snapshot) {
            }
        };
    }
}
