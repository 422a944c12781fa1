package io.sensorfleet.console.agentplane;

import io.sensorfleet.protocol.v1.enrollment.AgentAddress;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The agent-plane addresses this console advertises, and the names its server certificate covers. */
@ApplicationScoped
public class AgentPlaneAddresses {
    private final AgentPlaneConfig config;

    AgentPlaneAddresses(AgentPlaneConfig config) {
        this.config = config;
    }

    private volatile int boundPort;

    void bound(int port) {
        this.boundPort = port;
    }

    public List<AgentAddress> advertised() {
        if (config.advertisedAddresses().isPresent()) {
            return config.advertisedAddresses().get().stream().map(AgentAddress::parse).toList();
        }
        int port = boundPort != 0 ? boundPort : config.port();
        return defaultHosts().stream().map(h -> new AgentAddress(h, port)).toList();
    }

    private static List<String> defaultHosts() {
        List<String> hosts = new ArrayList<>();
        hosts.add("127.0.0.1");
        localHostName().ifPresent(hosts::add);
        return hosts;
    }

    /** Names for the server certificate: every advertised host plus the loopback names. */
    Set<String> certificateNames() {
        Set<String> names = new LinkedHashSet<>();
        config.advertisedAddresses().map(list -> list.stream().map(a -> AgentAddress.parse(a).host()).toList())
                .orElseGet(AgentPlaneAddresses::defaultHosts).forEach(names::add);
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
