package io.sensorfleet.console.agentplane;

import io.sensorfleet.protocol.v1.AgentAddress;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The agent-plane addresses this console advertises, and the names its server certificate covers. */
@ApplicationScoped
public class AgentPlaneAddresses {
    @Inject
    AgentPlaneConfig config;

    private volatile int boundPort;

    void bound(int port) {
        this.boundPort = port;
    }

    public List<AgentAddress> advertised() {
        if (config.advertisedAddresses().isPresent()) {
            return config.advertisedAddresses().get().stream().map(AgentAddress::parse).toList();
        }
        int port = boundPort != 0 ? boundPort : config.port();
        List<AgentAddress> list = new ArrayList<>();
        list.add(new AgentAddress("127.0.0.1", port));
        localHostName().ifPresent(h -> list.add(new AgentAddress(h, port)));
        return list;
    }

    /** Names for the server certificate: every advertised host plus the loopback names. */
    Set<String> certificateNames() {
        Set<String> names = new LinkedHashSet<>();
        advertised().forEach(a -> names.add(a.host()));
        names.add("localhost");
        names.add("127.0.0.1");
        names.add("::1");
        localHostName().ifPresent(names::add);
        return names;
    }

    private static java.util.Optional<String> localHostName() {
        try {
            String h = InetAddress.getLocalHost().getHostName();
            return h.matches("(?i)[a-z0-9][a-z0-9.-]*") ? java.util.Optional.of(h) : java.util.Optional.empty();
        } catch (UnknownHostException e) {
            return java.util.Optional.empty();
        }
    }
}
