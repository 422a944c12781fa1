package io.sensorfleet.agent.appliance;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The network configuration of the management interface at one moment: what a failed change is
 * reverted to. Written to the agent's state directory before the change, so that a crash during
 * the confirmation time also ends with this configuration back in force.
 *
 * @param addresses global addresses of the management interface, CIDR ({@code 192.0.2.10/24})
 * @param gateways  default gateways, IPv4 and IPv6
 * @param files     content of each configuration file under the system root (path relative to
 *                  the root); null for a file that did not exist
 */
public record NetworkSnapshot(List<String> addresses, List<String> gateways, Map<String, String> files) {
    public static final NetworkSnapshot EMPTY = new NetworkSnapshot(List.of(), List.of(), Map.of());

    public NetworkSnapshot {
        addresses = List.copyOf(addresses);
        gateways = List.copyOf(gateways);
        // LinkedHashMap, not Map.copyOf: a file that did not exist is recorded as null.
        files = new LinkedHashMap<>(files);
    }
}
