package io.sensorfleet.agent.appliance;

import java.util.Map;
import java.util.Set;

/** One settings category of the Linux appliance: how it is put in force and read back. */
interface Category {

    Set<String> keys();

    /** Applies this category's keys among {@code values} (the whole push); keys without a value are left alone. */
    void apply(Map<String, Object> values) throws ApplianceException;

    /** What the system reports for this category's keys; a key the system has no value for is left out. */
    Map<String, Object> read(Map<String, Object> desired);
}
