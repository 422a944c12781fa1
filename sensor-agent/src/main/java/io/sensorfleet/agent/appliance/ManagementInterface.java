package io.sensorfleet.agent.appliance;

import io.sensorfleet.lib.json.Json;
import io.sensorfleet.lib.settings.IpAddresses;
import io.sensorfleet.lib.settings.SettingsValidator;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Address, mask and default gateway of the management interface, IPv4 or IPv6: put in force at
 * once with iproute2 and persisted for the next boot as a systemd-networkd {@code .network} file.
 * What is read back is what {@code ip} shows, never the file.
 */
final class ManagementInterface implements Category {
    static final String IP = "network.ipAddress";
    static final String MASK = "network.subnetMask";
    static final String GATEWAY = "network.defaultGateway";

    private final ApplianceConfig config;
    private final Commands commands;
    private final Json json = Json.lenient();

    ManagementInterface(ApplianceConfig config, Commands commands) {
        this.config = config;
        this.commands = commands;
    }

    @Override
    public Set<String> keys() {
        return Set.of(IP, MASK, GATEWAY);
    }

    /** The networkd file this agent owns; a lower number than a distribution's own files, so it wins. */
    String networkFile() {
        return "etc/systemd/network/10-sensorfleet-" + config.managementInterface().orElse("none") + ".network";
    }

    @Override
    public void apply(Map<String, Object> values) throws ApplianceException {
        if (!(values.get(IP) instanceof String ip)) {
            return;
        }
        String dev = config.managementInterface()
                .orElseThrow(() -> new ApplianceException(IP, "the agent has no management interface configured"));
        byte[] bytes = IpAddresses.parse(ip).orElseThrow(() -> new ApplianceException(IP, "not an IP address: " + ip));
        String family = bytes.length == 4 ? "-4" : "-6";
        int prefix = prefix(values.get(MASK), bytes.length * 8, family);
        String cidr = IpAddresses.parse(ip).map(b -> canonical(ip)).orElseThrow() + "/" + prefix;
        try {
            List<String> before = addresses(family);
            Optional<String> oldGateway = gateway(family);
            if (!before.equals(List.of(cidr))) {
                // Flush, then add: deleting a primary address would also take its secondaries with it.
                ip(IP, family, "addr", "flush", "dev", dev, "scope", "global");
                ip(IP, family, "addr", "add", cidr, "dev", dev);
            }
            Object gw = values.get(GATEWAY);
            if (gw instanceof String g) {
                ip(GATEWAY, family, "route", "replace", "default", "via", g, "dev", dev);
            } else if (oldGateway.isPresent() && gateway(family).isEmpty()) {
                // The flush took the default route with the old address; put it back if it still fits.
                ipQuietly(family, "route", "replace", "default", "via", oldGateway.get(), "dev", dev);
            }
            SystemFiles.write(config.path(networkFile()), networkd(dev, cidr, gw, values.get(Dns.KEY)), "rw-r--r--");
        } catch (IOException e) {
            throw new ApplianceException(IP, "cannot change the interface " + dev + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Map<String, Object> read(Map<String, Object> desired) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (config.managementInterface().isEmpty()) {
            return out;
        }
        try {
            String family = desired.get(IP) instanceof String ip && ip.contains(":") ? "-6" : "-4";
            List<String> addrs = addresses(family);
            if (!addrs.isEmpty()) {
                String[] parts = addrs.getFirst().split("/");
                out.put(IP, parts[0]);
                int prefix = Integer.parseInt(parts[1]);
                out.put(MASK, family.equals("-4") ? dotted(prefix) : String.valueOf(prefix));
            }
            gateway(family).ifPresent(g -> out.put(GATEWAY, g));
        } catch (IOException | ApplianceException e) {
            // Nothing readable: the keys are left out, which shows as drift.
        }
        return out;
    }

    /** Global addresses of the interface, CIDR, in the order ip lists them (primary first). */
    List<String> addresses(String family) throws IOException, ApplianceException {
        Object links = json.readTree(ip(IP, "-j", family, "addr", "show", "dev", dev(), "scope", "global"));
        List<String> out = new ArrayList<>();
        for (Object link : items(links)) {
            for (Object a : items(link instanceof Map<?, ?> l ? l.get("addr_info") : null)) {
                if (a instanceof Map<?, ?> address && address.get("local") != null) {
                    out.add(address.get("local") + "/" + (address.get("prefixlen") instanceof Integer p ? p : 0));
                }
            }
        }
        return out;
    }

    Optional<String> gateway(String family) throws IOException, ApplianceException {
        Object routes = json.readTree(ip(GATEWAY, "-j", family, "route", "show", "default", "dev", dev()));
        for (Object r : items(routes)) {
            if (r instanceof Map<?, ?> route && route.get("gateway") != null) {
                return Optional.of(String.valueOf(route.get("gateway")));
            }
        }
        return Optional.empty();
    }

    /** The elements of an array, the values of an object, nothing for anything else (as Jackson's tree iterates). */
    private static Collection<?> items(Object node) {
        return node instanceof List<?> l ? l : node instanceof Map<?, ?> m ? m.values() : List.of();
    }

    /** Puts addresses and gateways of one snapshot back, one family at a time, only where they differ. */
    void restore(NetworkSnapshot snapshot) throws ApplianceException, IOException {
        String dev = dev();
        for (String family : List.of("-4", "-6")) {
            boolean v6 = family.equals("-6");
            List<String> want = snapshot.addresses().stream().filter(a -> a.contains(":") == v6).toList();
            if (!addresses(family).equals(want)) {
                ip(IP, family, "addr", "flush", "dev", dev, "scope", "global");
                for (String a : want) {
                    ip(IP, family, "addr", "add", a, "dev", dev);
                }
            }
            Optional<String> gw = snapshot.gateways().stream().filter(g -> g.contains(":") == v6).findFirst();
            if (!gateway(family).equals(gw)) {
                if (gw.isPresent()) {
                    ip(GATEWAY, family, "route", "replace", "default", "via", gw.get(), "dev", dev);
                } else {
                    ipQuietly(family, "route", "del", "default", "dev", dev);
                }
            }
        }
    }

    private String dev() throws ApplianceException {
        return config.managementInterface()
                .orElseThrow(() -> new ApplianceException(IP, "the agent has no management interface configured"));
    }

    private int prefix(Object mask, int bits, String family) throws ApplianceException {
        if (mask != null) {
            int p = SettingsValidator.prefix(mask.toString(), bits);
            if (p < 0) {
                throw new ApplianceException(MASK, "not a mask for this address family: " + mask);
            }
            return p;
        }
        try {
            List<String> now = addresses(family);
            if (!now.isEmpty()) {
                return Integer.parseInt(now.getFirst().split("/")[1]);
            }
        } catch (IOException e) {
            // fall through
        }
        throw new ApplianceException(MASK, "a subnet mask is needed with a new address");
    }

    private String ip(String key, String... args) throws IOException, ApplianceException {
        List<String> argv = new ArrayList<>(config.ipCommand());
        argv.addAll(List.of(args));
        Commands.Result r = commands.run(argv);
        if (!r.ok()) {
            throw new ApplianceException(key, "ip " + String.join(" ", args) + " failed (" + r.reason() + ")");
        }
        return r.out().isBlank() ? "[]" : r.out();
    }

    private void ipQuietly(String... args) throws IOException {
        List<String> argv = new ArrayList<>(config.ipCommand());
        argv.addAll(List.of(args));
        commands.run(argv);
    }

    static String networkd(String dev, String cidr, Object gateway, Object dns) {
        StringBuilder out = new StringBuilder("# written by sensor-agent from the console's settings\n[Match]\nName=")
                .append(dev).append("\n\n[Network]\nAddress=").append(cidr).append('\n');
        if (gateway instanceof String g) {
            out.append("Gateway=").append(g).append('\n');
        }
        if (dns instanceof List<?> servers) {
            servers.forEach(s -> out.append("DNS=").append(s).append('\n'));
        }
        return out.toString();
    }

    static String dotted(int prefix) {
        long bits = prefix == 0 ? 0 : (0xffffffffL << (32 - prefix)) & 0xffffffffL;
        return (bits >> 24 & 0xff) + "." + (bits >> 16 & 0xff) + "." + (bits >> 8 & 0xff) + "." + (bits & 0xff);
    }

    /** The form ip prints (lower case, zeros compressed), so a read-back value compares equal. */
    static String canonical(String ip) {
        return SettingValues.canonicalIp(ip);
    }
}
