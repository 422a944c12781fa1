package io.sensorfleet.console.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private PostgreSQL cluster for one test run, made by the same script the quick start uses
 * ({@code deploy/local/throwaway-postgres.sh}) from the locally installed server binaries.
 */
public final class ThrowawayPostgres implements AutoCloseable {
    private final Path dir;
    public final String jdbcUrl;
    public final String username;
    public final String password;

    private ThrowawayPostgres(Path dir, String jdbcUrl, String username, String password) {
        this.dir = dir;
        this.jdbcUrl = jdbcUrl;
        this.username = username;
        this.password = password;
    }

    public static ThrowawayPostgres start() {
        try {
            Path dir = Files.createTempDirectory("sensorfleet-pg-");
            String out = run(List.of("bash", script().toString(), "start", dir.toString(), String.valueOf(freePort())));
            String[] parts = out.strip().split(" ");
            ThrowawayPostgres pg = new ThrowawayPostgres(dir, parts[0], parts[1], parts[2]);
            Runtime.getRuntime().addShutdownHook(new Thread(pg::close));
            return pg;
        } catch (IOException e) {
            throw new IllegalStateException("cannot provision a throwaway PostgreSQL", e);
        }
    }

    /** The port the cluster listens on (the same after {@link #stopServer()} and {@link #startServer()}). */
    public int port() {
        return Integer.parseInt(jdbcUrl.replaceAll("^jdbc:postgresql://[^:]+:(\\d+)/.*$", "$1"));
    }

    /** The cluster's directory: {@code data/}, {@code password}, the socket and the server log. */
    public Path directory() {
        return dir;
    }

    /** Stops the server (fast shutdown: sessions are cut, as in an outage), keeping the cluster for {@link #startServer()}. */
    public void stopServer() {
        try {
            run(List.of("bash", script().toString(), "stop", dir.toString()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot stop PostgreSQL in " + dir, e);
        }
    }

    /** Starts the stopped server again on the same port with the same data. */
    public void startServer() {
        try {
            run(List.of("bash", script().toString(), "start", dir.toString(), String.valueOf(port())));
        } catch (IOException e) {
            throw new IllegalStateException("cannot start PostgreSQL in " + dir, e);
        }
    }

    @Override
    public synchronized void close() {
        if (!Files.exists(dir)) {
            return;
        }
        try {
            run(List.of("bash", script().toString(), "stop", dir.toString()));
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("could not remove throwaway PostgreSQL in " + dir + ": " + e.getMessage());
        }
    }

    /** The repository root, found upwards from the working directory. */
    public static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("deploy/local/throwaway-postgres.sh"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("cannot find deploy/local/throwaway-postgres.sh above " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    private static Path script() {
        return repoRoot().resolve("deploy/local/throwaway-postgres.sh");
    }

    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    /**
     * A port free on every interface, picked below the kernel's ephemeral range (32768 and up):
     * a port from that range can be taken by any outgoing connection between the pick and the
     * console binding it, which happens under load. A port is handed out once per test JVM: a
     * test that picks ports for consoles it starts later (their agent planes) must not see one of
     * them given to another server in the meantime.
     */
    public static int freePort() throws IOException {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = random.nextInt(20_000, 32_000);
            if (!HANDED_OUT.add(port)) {
                continue; // picked before: a test may hold it for a server it starts later
            }
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(false);
                s.bind(new java.net.InetSocketAddress(port));
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String run(List<String> command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(false);
        pb.environment().putIfAbsent("PG_FSYNC", "off");
        Process p = pb.start();
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("throwaway PostgreSQL did not start within 120 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IllegalStateException(err.isBlank() ? "throwaway-postgres.sh failed" : err.strip());
        }
        return out;
    }
}
