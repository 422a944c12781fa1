package io.sensorfleet.agent.health;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A fake appliance: files under a temporary root, disk usage and command answers set by the test. */
final class FakeSystem implements Probe {
    private final Probe files;
    private final Path root;
    final Map<String, Usage> usage = new HashMap<>();
    final Map<String, String> commands = new HashMap<>();

    FakeSystem(Path root) {
        this.root = root;
        this.files = Probe.system(root);
    }

    FakeSystem write(String absolute, String content) {
        Path p = root.resolve(absolute.substring(1));
        try {
            Files.createDirectories(p.getParent());
            Files.writeString(p, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    FakeSystem delete(String absolute) {
        try {
            Files.deleteIfExists(root.resolve(absolute.substring(1)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    FakeSystem mkdir(String absolute) {
        try {
            Files.createDirectories(root.resolve(absolute.substring(1)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** A healthy appliance: memory, load, one engine process, one interface with traffic, a synchronised clock. */
    static FakeSystem healthy(Path root) {
        FakeSystem s = new FakeSystem(root);
        s.write("/proc/meminfo", "MemTotal:       4000000 kB\nMemFree:  100000 kB\nMemAvailable:   3000000 kB\n");
        s.write("/proc/loadavg", "0.20 0.30 0.40 1/100 999\n");
        s.write("/proc/cpuinfo", "processor\t: 0\nprocessor\t: 1\n");
        s.write("/proc/1/comm", "systemd\n");
        s.write("/proc/42/comm", "suricata\n");
        s.write("/sys/class/net/eth1/operstate", "up\n");
        s.write("/sys/class/net/eth1/statistics/rx_packets", "1000\n");
        s.write("/sys/class/net/eth1/statistics/rx_dropped", "0\n");
        s.usage.put("/", new Usage(100, 60));
        s.commands.put("timedatectl show -p NTPSynchronized --value", "0\nyes");
        return s;
    }

    @Override
    public Path root() {
        return root;
    }

    @Override
    public Optional<String> read(Path file) {
        return files.read(file);
    }

    @Override
    public List<Path> list(Path dir) {
        return files.list(dir);
    }

    @Override
    public Optional<Usage> usage(Path path) {
        String absolute = "/" + root.relativize(path);
        return Optional.ofNullable(usage.get(absolute.equals("/") ? "/" : absolute));
    }

    @Override
    public Optional<String> run(List<String> command) {
        return Optional.ofNullable(commands.get(String.join(" ", command)));
    }
}
