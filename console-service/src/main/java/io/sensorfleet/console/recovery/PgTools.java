package io.sensorfleet.console.recovery;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * PostgreSQL's own client programs ({@code pg_dump}, {@code pg_restore}) run against the console's
 * database. They are found where the server's tooling lives (an explicit directory, {@code
 * pg_config --bindir}, the newest {@code /usr/lib/postgresql/N/bin}, then the PATH); the
 * connection goes to them through libpq's environment, so the password never shows in a process
 * list.
 */
final class PgTools {
    private final Path bindir;
    private final Map<String, String> env;
    private final String database;

    PgTools(Path bindir, Map<String, String> env, String database) {
        this.bindir = bindir;
        this.env = env;
        this.database = database;
    }

    static PgTools of(RecoverySettings s, Optional<Path> bindir) {
        Path dir = bindir.orElseGet(PgTools::findBindir);
        if (!Files.isExecutable(dir.resolve("pg_dump")) || !Files.isExecutable(dir.resolve("pg_restore"))) {
            throw new RecoveryException("no pg_dump and pg_restore in " + dir + ": install PostgreSQL's client programs "
                    + "(Debian: apt-get install postgresql-client) or name their directory with --pg-bindir");
        }
        Map<String, String> env = libpqEnvironment(s.jdbcUrl());
        env.put("PGUSER", s.dbUser());
        env.put("PGPASSWORD", s.dbPassword());
        return new PgTools(dir, env, env.get("PGDATABASE"));
    }

    /** libpq's environment for a JDBC URL {@code jdbc:postgresql://host[:port][,host2[:port2]]/db[?params]}. */
    static Map<String, String> libpqEnvironment(String jdbcUrl) {
        String prefix = "jdbc:postgresql://";
        if (!jdbcUrl.startsWith(prefix)) {
            throw new RecoveryException("not a PostgreSQL JDBC URL: " + jdbcUrl);
        }
        String rest = jdbcUrl.substring(prefix.length());
        int slash = rest.indexOf('/');
        if (slash < 0) {
            throw new RecoveryException("the JDBC URL names no database: " + jdbcUrl);
        }
        String authority = rest.substring(0, slash);
        String path = rest.substring(slash + 1);
        String query = "";
        int q = path.indexOf('?');
        if (q >= 0) {
            query = path.substring(q + 1);
            path = path.substring(0, q);
        }
        List<String> hosts = new ArrayList<>();
        List<String> ports = new ArrayList<>();
        for (String hp : authority.split(",")) {
            URI u = URI.create("x://" + hp);
            if (u.getHost() == null) {
                throw new RecoveryException("cannot read the host of the JDBC URL: " + jdbcUrl);
            }
            hosts.add(u.getHost().replace("[", "").replace("]", ""));
            ports.add(String.valueOf(u.getPort() < 0 ? 5432 : u.getPort()));
        }
        Map<String, String> env = new HashMap<>();
        env.put("PGHOST", String.join(",", hosts));
        env.put("PGPORT", String.join(",", ports));
        env.put("PGDATABASE", path);
        for (String param : query.split("&")) {
            String[] kv = param.split("=", 2);
            if (kv.length == 2 && kv[0].equals("sslmode")) {
                env.put("PGSSLMODE", kv[1]);
            } else if (kv.length == 2 && kv[0].equals("targetServerType") && kv[1].matches("primary|master")) {
                env.put("PGTARGETSESSIONATTRS", "read-write");
            }
        }
        return env;
    }

    /** A consistent snapshot of the whole database (one transaction), in pg_dump's custom format. */
    void dump(Path out) {
        run(List.of(bindir.resolve("pg_dump").toString(), "--format=custom", "--no-owner", "--no-privileges",
                "--file=" + out, "--dbname=" + database), "pg_dump");
    }

    /** Loads a dump into the (empty) database in one transaction: all of it or nothing. */
    void restore(Path dump) {
        run(List.of(bindir.resolve("pg_restore").toString(), "--no-owner", "--no-privileges", "--exit-on-error",
                "--single-transaction", "--dbname=" + database, dump.toString()), "pg_restore");
    }

    private void run(List<String> command, String what) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().putAll(env);
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int exit = p.waitFor();
            if (exit != 0) {
                throw new RecoveryException(what + " failed (exit " + exit + "): " + out.strip());
            }
        } catch (IOException e) {
            throw new RecoveryException("cannot run " + what + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RecoveryException(what + " interrupted");
        }
    }

    private static Path findBindir() {
        try {
            Process p = new ProcessBuilder("pg_config", "--bindir").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.waitFor() == 0 && Files.isExecutable(Path.of(out, "pg_dump"))) {
                return Path.of(out);
            }
        } catch (IOException e) {
            // no pg_config: look further
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                Optional<Path> newest = versions.map(v -> v.resolve("bin"))
                        .filter(b -> Files.isExecutable(b.resolve("pg_dump")))
                        .max(Comparator.comparingInt(PgTools::majorOf));
                if (newest.isPresent()) {
                    return newest.get();
                }
            } catch (IOException e) {
                // fall through to the PATH
            }
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "pg_dump"))) {
                return Path.of(dir);
            }
        }
        return Path.of("/usr/bin");
    }

    private static int majorOf(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
