package io.sensorfleet.agent.settings;

import io.sensorfleet.agent.appliance.NetworkTrial;
import io.sensorfleet.agent.client.ConsoleCallException;
import io.sensorfleet.agent.client.ConsoleClient;
import io.sensorfleet.agent.client.ConsoleException;
import io.sensorfleet.protocol.v1.enrollment.AgentAddress;

import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Whether the console answers an mTLS request through the network now in force. Each probe uses
 * a client made for it: a pooled connection from before the change would be bound to an address
 * the interface may no longer have. Any HTTP answer counts — the console was reached.
 */
final class ConsoleProbe implements NetworkTrial.ReachabilityProbe {
    private final Supplier<ConsoleClient> clients;
    private final List<AgentAddress> addresses;

    ConsoleProbe(Supplier<ConsoleClient> clients, List<AgentAddress> addresses) {
        this.clients = clients;
        this.addresses = List.copyOf(addresses);
    }

    @Override
    public boolean reachable() {
        try (ConsoleClient client = clients.get()) {
            for (AgentAddress a : addresses) {
                try {
                    client.activationKeys(a);
                    return true;
                } catch (ConsoleException answered) {
                    return true;
                } catch (ConsoleCallException | RuntimeException e) {
                    // not through this address; try the next
                }
            }
            return false;
        }
    }

    @Override
    public String target() {
        return addresses.stream().map(AgentAddress::host).collect(Collectors.joining(", "));
    }
}
