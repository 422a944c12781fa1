package io.sensorfleet.agent.appliance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * DNS servers: the {@code nameserver} lines of {@code /etc/resolv.conf} (its other lines kept),
 * or, when {@code /etc/resolv.conf} is systemd-resolved's link, a drop-in for systemd-resolved,
 * which is then reloaded — writing through its link would be undone at its next start.
 */
final class Dns implements Category {
    static final String KEY = "network.dnsServers";
    static final String RESOLV_CONF = "etc/resolv.conf";
    static final String RESOLVED_DROP_IN = "etc/systemd/resolved.conf.d/50-sensorfleet.conf";
    static final String RESOLVED_UPSTREAM = "run/systemd/resolve/resolv.conf";

    private final ApplianceConfig config;
    private final Commands commands;

    Dns(ApplianceConfig config, Commands commands) {
        this.config = config;
        this.commands = commands;
    }

    @Override
    public Set<String> keys() {
        return Set.of(KEY);
    }

    /** Whether systemd-resolved owns the resolver configuration. */
    boolean resolved() {
        Path link = config.path(RESOLV_CONF);
        try {
            return Files.isSymbolicLink(link) && Files.readSymbolicLink(link).toString().contains("systemd/resolve");
        } catch (IOException e) {
            return false;
        }
    }

    /** The files a change here writes, for a network snapshot. */
    List<String> files() {
        return resolved() ? List.of(RESOLVED_DROP_IN) : List.of(RESOLV_CONF);
    }

    @Override
    public void apply(Map<String, Object> values) throws ApplianceException {
        if (!(values.get(KEY) instanceof List<?> servers)) {
            return;
        }
        List<String> list = servers.stream().map(Object::toString).toList();
        try {
            if (resolved()) {
                String dropIn = "# written by sensor-agent from the console's settings\n[Resolve]\nDNS="
                        + String.join(" ", list) + "\n";
                if (SystemFiles.write(config.path(RESOLVED_DROP_IN), dropIn, "rw-r--r--")) {
                    reloadResolved();
                }
            } else {
                SystemFiles.write(config.path(RESOLV_CONF),
                        resolvConf(SystemFiles.read(config.path(RESOLV_CONF)).orElse(""), list), "rw-r--r--");
            }
        } catch (IOException e) {
            throw new ApplianceException(KEY, "cannot write " + e.getMessage(), e);
        }
    }

    void reloadResolved() throws ApplianceException, IOException {
        if (!config.systemd()) {
            return;
        }
        Commands.Result r = commands.run(List.of("systemctl", "try-reload-or-restart", "systemd-resolved.service"));
        if (!r.ok()) {
            throw new ApplianceException(KEY, "systemd-resolved did not reload (" + r.reason() + ")");
        }
    }

    /** The servers the resolver uses: resolved's upstream list, or resolv.conf's. */
    @Override
    public Map<String, Object> read(Map<String, Object> desired) {
        String file = resolved() ? RESOLVED_UPSTREAM : RESOLV_CONF;
        List<String> servers = nameservers(SystemFiles.read(config.path(file)).orElse(""));
        Map<String, Object> out = new LinkedHashMap<>();
        if (!servers.isEmpty()) {
            out.put(KEY, servers);
        }
        return out;
    }

    static List<String> nameservers(String resolvConf) {
        List<String> out = new ArrayList<>();
        for (String line : resolvConf.lines().toList()) {
            String[] words = line.strip().split("\\s+");
            if (words.length >= 2 && words[0].equals("nameserver")) {
                out.add(words[1]);
            }
        }
        return out;
    }

    static String resolvConf(String current, List<String> servers) {
        StringBuilder out = new StringBuilder();
        boolean written = false;
        for (String line : current.lines().toList()) {
            if (line.strip().startsWith("nameserver")) {
                if (!written) {
                    servers.forEach(s -> out.append("nameserver ").append(s).append('\n'));
                    written = true;
                }
            } else {
                out.append(line).append('\n');
            }
        }
        if (!written) {
            servers.forEach(s -> out.append("nameserver ").append(s).append('\n'));
        }
        return out.toString();
    }
}
