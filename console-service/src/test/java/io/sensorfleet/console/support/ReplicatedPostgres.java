package io.sensorfleet.console.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A primary and a streaming standby made from the installed server binaries: the primary is a
 * {@link ThrowawayPostgres}, the standby a {@code pg_basebackup} of it that follows its WAL. With
 * {@code synchronous} the primary's commits wait until the standby has the WAL
 * ({@code synchronous_standby_names}, {@code synchronous_commit=on}). Consoles reach both through
 * one multi-host JDBC URL that picks whichever is primary.
 */
public final class ReplicatedPostgres implements AutoCloseable {
    private static final String STANDBY_NAME = "standby1";

    private final ThrowawayPostgres primary;
    private final Path standbyDir;
    private final int standbyPort;

    private ReplicatedPostgres(ThrowawayPostgres primary, Path standbyDir, int standbyPort) {
        this.primary = primary;
        this.standbyDir = standbyDir;
        this.standbyPort = standbyPort;
    }

    public static ReplicatedPostgres start(boolean synchronous) throws Exception {
        ThrowawayPostgres primary = ThrowawayPostgres.start();
        Path standbyDir = Files.createTempDirectory("sensorfleet-pg-standby-");
        ReplicatedPostgres pair = new ReplicatedPostgres(primary, standbyDir, ThrowawayPostgres.freePort());
        try {
            pair.makeStandby();
            if (synchronous) {
                pair.makeSynchronous();
            }
            return pair;
        } catch (Exception | Error e) {
            pair.close();
            throw e;
        }
    }

    /** The primary's credentials (the standby has the same: it is a copy). */
    public ThrowawayPostgres primary() {
        return primary;
    }

    /** Both servers, the primary first; the driver connects to the one that accepts writes. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + primary.port() + ",127.0.0.1:" + standbyPort
                + "/sensorfleet?targetServerType=primary";
    }

    /** The primary dies (immediate shutdown: no checkpoint, as a crash) and the standby is promoted. */
    public void failover() {
        asOwner(List.of(bin("pg_ctl"), "-D", primary.directory().resolve("data").toString(), "-m", "immediate", "-w", "stop"));
        asOwner(List.of(bin("pg_ctl"), "-D", standbyDir.resolve("data").toString(), "-w", "-t", "60", "promote"));
    }

    /** A connection to the standby (the new primary after {@link #failover()}). */
    public Connection standbyConnection() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + standbyPort + "/sensorfleet",
                primary.username, primary.password);
    }

    private void makeStandby() throws IOException, InterruptedException {
        ownByPostgres(standbyDir);
        Path data = standbyDir.resolve("data");
        runAsOwner(List.of("env", "PGPASSWORD=" + primary.password, bin("pg_basebackup"), "-h", "127.0.0.1",
                "-p", String.valueOf(primary.port()), "-U", primary.username, "-D", data.toString(), "-X", "stream",
                "-c", "fast", "--no-sync"));
        // Read back as the owner: the data directory is private to the postgres user.
        String conninfo = "host=127.0.0.1 port=" + primary.port() + " user=" + primary.username + " password="
                + primary.password + " application_name=" + STANDBY_NAME;
        runAsOwner(List.of("bash", "-c", "printf '%s\\n' \"$1\" >> \"$2/postgresql.auto.conf\" && touch \"$2/standby.signal\"",
                "standby", "primary_conninfo = '" + conninfo + "'", data.toString()));
        runAsOwner(List.of(bin("pg_ctl"), "-D", data.toString(), "-l", standbyDir.resolve("postgres.log").toString(),
                "-w", "-t", "60", "-o", "-p " + standbyPort + " -k " + standbyDir + " -c listen_addresses=127.0.0.1 "
                        + "-c max_connections=200 -c fsync=off", "start"));
    }

    /**
     * Set on the primary only (ALTER SYSTEM writes its own postgresql.auto.conf, which is not
     * replicated): a promoted standby must not wait for a standby of its own.
     */
    private void makeSynchronous() throws SQLException, InterruptedException {
        try (Connection c = DriverManager.getConnection(primary.jdbcUrl, primary.username, primary.password);
             Statement s = c.createStatement()) {
            s.execute("alter system set synchronous_standby_names = '" + STANDBY_NAME + "'");
            s.execute("select pg_reload_conf()");
            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            while (Instant.now().isBefore(deadline)) {
                try (ResultSet rs = s.executeQuery("select sync_state from pg_stat_replication where application_name = '"
                        + STANDBY_NAME + "'")) {
                    if (rs.next() && "sync".equals(rs.getString(1))) {
                        return;
                    }
                }
                Thread.sleep(200);
            }
            throw new IllegalStateException("the standby did not become synchronous within 30 s: " + standbyLog());
        }
    }

    private String standbyLog() {
        try {
            return Files.readString(standbyDir.resolve("postgres.log"));
        } catch (IOException e) {
            return "(no standby log: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (Files.exists(standbyDir.resolve("data/postmaster.pid"))) {
            asOwner(List.of(bin("pg_ctl"), "-D", standbyDir.resolve("data").toString(), "-m", "immediate", "-w", "stop"));
        }
        try (Stream<Path> files = Files.walk(standbyDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            System.err.println("could not remove the standby in " + standbyDir + ": " + e.getMessage());
        }
        primary.close();
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void ownByPostgres(Path dir) throws IOException, InterruptedException {
        if (root()) {
            run(List.of("chown", "postgres", dir.toString()));
        }
        run(List.of("chmod", "700", dir.toString()));
    }

    private static void asOwner(List<String> command) {
        try {
            runAsOwner(command);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** PostgreSQL refuses to run as root: as root, its commands run as the postgres user. */
    private static void runAsOwner(List<String> command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (root()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        run(full);
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(command.getFirst() + " did not finish within 120 s");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command).replace("PGPASSWORD=", "PGPASSWORD=…") + ": " + out);
        }
    }

    private static String bin(String tool) {
        try {
            Process p = new ProcessBuilder("pg_config", "--bindir").start();
            String dir = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.waitFor() == 0 && Files.isExecutable(Path.of(dir, tool))) {
                return Path.of(dir, tool).toString();
            }
        } catch (IOException e) {
            // fall back to the Debian layout below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin").resolve(tool)).filter(Files::isExecutable)
                    .max(Comparator.comparing(Path::toString)).orElseThrow().toString();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("no PostgreSQL server binaries with " + tool + " found", e);
        }
    }
}
