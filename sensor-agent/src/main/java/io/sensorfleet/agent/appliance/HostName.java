package io.sensorfleet.agent.appliance;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The host name: {@code /etc/hostname}, the {@code 127.0.1.1} line of {@code /etc/hosts} (so the
 * name resolves without DNS, as Debian's installer sets it up) and the kernel's name — through
 * hostnamectl when systemd runs, the configured {@code hostname} tool otherwise.
 */
final class HostName implements Category {
    static final String KEY = "network.hostname";
    private static final String HOSTS_PREFIX = "127.0.1.1";

    private final ApplianceConfig config;
    private final Commands commands;

    HostName(ApplianceConfig config, Commands commands) {
        this.config = config;
        this.commands = commands;
    }

    @Override
    public Set<String> keys() {
        return Set.of(KEY);
    }

    @Override
    public void apply(Map<String, Object> values) throws ApplianceException {
        if (!(values.get(KEY) instanceof String name)) {
            return;
        }
        try {
            if (config.systemd()) {
                // hostnamectl writes /etc/hostname itself and tells the kernel.
                run(List.of("hostnamectl", "set-hostname", name));
            } else {
                SystemFiles.write(config.path("etc/hostname"), name + "\n", "rw-r--r--");
                if (!config.hostnameCommand().isEmpty()) {
                    List<String> argv = new ArrayList<>(config.hostnameCommand());
                    argv.add(name);
                    run(argv);
                }
            }
            SystemFiles.write(config.path("etc/hosts"), hosts(SystemFiles.read(config.path("etc/hosts")).orElse(""), name),
                    "rw-r--r--");
        } catch (IOException e) {
            throw new ApplianceException(KEY, "cannot write " + e.getMessage(), e);
        }
    }

    /**
     * The kernel's name when it can be asked, else the file's. When both exist and differ, the
     * value says so: it matches no desired name, so the disagreement shows as drift.
     */
    @Override
    public Map<String, Object> read(Map<String, Object> desired) {
        Map<String, Object> out = new LinkedHashMap<>();
        Optional<String> file = SystemFiles.read(config.path("etc/hostname")).map(String::strip).filter(s -> !s.isEmpty());
        Optional<String> kernel = kernel();
        if (kernel.isPresent() && file.isPresent() && !kernel.get().equalsIgnoreCase(file.get())) {
            out.put(KEY, kernel.get() + " (/etc/hostname says " + file.get() + ")");
        } else {
            kernel.or(() -> file).ifPresent(n -> out.put(KEY, n));
        }
        return out;
    }

    private Optional<String> kernel() {
        List<String> argv = config.systemd() ? List.of("hostname") : config.hostnameCommand();
        if (argv.isEmpty()) {
            return Optional.empty();
        }
        try {
            Commands.Result r = commands.run(argv);
            return r.ok() && !r.out().isBlank() ? Optional.of(r.out().strip()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static String hosts(String current, String name) {
        String line = HOSTS_PREFIX + "\t" + name;
        StringBuilder out = new StringBuilder();
        boolean replaced = false;
        for (String l : current.lines().toList()) {
            if (l.startsWith(HOSTS_PREFIX + " ") || l.startsWith(HOSTS_PREFIX + "\t")) {
                if (!replaced) {
                    out.append(line).append('\n');
                    replaced = true;
                }
            } else {
                out.append(l).append('\n');
            }
        }
        if (!replaced) {
            if (current.isEmpty()) {
                out.append("127.0.0.1\tlocalhost\n");
            }
            out.append(line).append('\n');
        }
        return out.toString();
    }

    private void run(List<String> argv) throws ApplianceException, IOException {
        Commands.Result r = commands.run(argv);
        if (!r.ok()) {
            throw new ApplianceException(KEY, argv.getFirst() + " refused it (" + r.reason() + ")");
        }
    }
}
