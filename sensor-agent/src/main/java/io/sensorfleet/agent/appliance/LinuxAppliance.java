package io.sensorfleet.agent.appliance;

import io.sensorfleet.lib.settings.IpAddresses;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Linux sensor: host name, time zone, DNS, management address, proxy and the engine's system
 * properties, each applied with the system's own files and tools and read back from the system.
 * The network goes first among the categories so that a failed address change leaves the rest
 * untouched; everything else is independent of it.
 */
public final class LinuxAppliance implements Appliance {
    private final ApplianceConfig config;
    private final ManagementInterface management;
    private final Dns dns;
    private final List<Category> categories;

    public LinuxAppliance(ApplianceConfig config, Commands commands) {
        this.config = config;
        this.management = new ManagementInterface(config, commands);
        this.dns = new Dns(config, commands);
        this.categories = List.of(management, dns, new HostName(config, commands), new TimeZone(config, commands),
                new Proxy(config), new EngineProperties(config, commands));
    }

    public ApplianceConfig config() {
        return config;
    }

    @Override
    public Set<String> keys() {
        Set<String> out = new LinkedHashSet<>();
        categories.forEach(c -> out.addAll(c.keys()));
        return out;
    }

    @Override
    public void apply(Map<String, Object> values) throws ApplianceException {
        for (Category c : categories) {
            c.apply(values);
        }
    }

    @Override
    public Map<String, Object> readBack(Map<String, Object> desired) {
        Map<String, Object> out = new LinkedHashMap<>();
        categories.forEach(c -> out.putAll(c.read(desired)));
        return out;
    }

    @Override
    public NetworkSnapshot snapshotNetwork() throws ApplianceException {
        Map<String, String> files = new LinkedHashMap<>();
        for (String f : networkFiles()) {
            files.put(f, SystemFiles.read(config.path(f)).orElse(null));
        }
        if (config.managementInterface().isEmpty()) {
            return new NetworkSnapshot(List.of(), List.of(), files);
        }
        try {
            List<String> addresses = new ArrayList<>(management.addresses("-4"));
            addresses.addAll(management.addresses("-6"));
            List<String> gateways = new ArrayList<>();
            management.gateway("-4").ifPresent(gateways::add);
            management.gateway("-6").ifPresent(gateways::add);
            return new NetworkSnapshot(addresses, gateways, files);
        } catch (IOException e) {
            throw new ApplianceException(ManagementInterface.IP, "cannot read the interface: " + e.getMessage(), e);
        }
    }

    @Override
    public void restoreNetwork(NetworkSnapshot snapshot) throws ApplianceException {
        check(snapshot);
        try {
            for (var f : snapshot.files().entrySet()) {
                SystemFiles.restore(config.path(f.getKey()), f.getValue());
            }
            if (dns.resolved()) {
                dns.reloadResolved();
            }
            if (config.managementInterface().isPresent()) {
                management.restore(snapshot);
            }
        } catch (IOException e) {
            throw new ApplianceException(ManagementInterface.IP, "cannot restore the previous network: " + e.getMessage(), e);
        }
    }

    /**
     * A snapshot may come from the unprivileged agent: it names only this appliance's own network
     * files and holds only address literals, or it is refused.
     */
    private void check(NetworkSnapshot snapshot) throws ApplianceException {
        for (String f : snapshot.files().keySet()) {
            if (!networkFiles().contains(f)) {
                throw new ApplianceException(ManagementInterface.IP, "a network snapshot may not name " + f);
            }
        }
        for (String a : snapshot.addresses()) {
            String[] parts = a.split("/", 2);
            if (parts.length != 2 || IpAddresses.parse(parts[0]).isEmpty() || !parts[1].matches("\\d{1,3}")
                    || Integer.parseInt(parts[1]) > IpAddresses.parse(parts[0]).get().length * 8) {
                throw new ApplianceException(ManagementInterface.IP, "not an address/prefix: " + a);
            }
        }
        for (String g : snapshot.gateways()) {
            if (IpAddresses.parse(g).isEmpty()) {
                throw new ApplianceException(ManagementInterface.GATEWAY, "not an address: " + g);
            }
        }
    }

    private List<String> networkFiles() {
        List<String> out = new ArrayList<>();
        if (config.managementInterface().isPresent()) {
            out.add(management.networkFile());
        }
        out.addAll(dns.files());
        return out;
    }
}
