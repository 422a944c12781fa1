package io.sensorfleet.console.recovery;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code console backup} and {@code console restore}: the console's disaster recovery, run with
 * the console's own launcher and environment instead of the service. The passphrase that seals the
 * master key comes from a file or {@code SENSORFLEET_BACKUP_PASSPHRASE}, never from the command
 * line (which every user of the machine can read in the process list).
 */
public final class RecoveryCommand {
    public static final Set<String> COMMANDS = Set.of("backup", "restore");
    static final String PASSPHRASE_ENV = "SENSORFLEET_BACKUP_PASSPHRASE";
    private static final String USAGE = """
            usage: backup  --output FILE  [--passphrase-file FILE] [--pg-bindir DIR]
                   restore --archive FILE [--passphrase-file FILE] [--master-key-out FILE] [--pg-bindir DIR]
            The database, data directory, master key and storage directories are the console's own
            (QUARKUS_DATASOURCE_*, SENSORFLEET_CONSOLE_*, SENSORFLEET_BACKUPS_STORAGE_DIR,
            SENSORFLEET_UPDATES_STORAGE_DIR); the passphrase comes from --passphrase-file or
            SENSORFLEET_BACKUP_PASSPHRASE.""";

    private final RecoverySettings settings;
    private final Map<String, String> env;
    private final PrintStream out;
    private final Clock clock;

    RecoveryCommand(RecoverySettings settings, Map<String, String> env, PrintStream out, Clock clock) {
        this.settings = settings;
        this.env = env;
        this.out = out;
        this.clock = clock;
    }

    /** Runs a command from the console's command line; returns the exit code (0 done, 1 refused, 2 usage). */
    public static int main(List<String> args, PrintStream out, PrintStream err) {
        try {
            Map<String, String> options = options(args);
            RecoveryCommand c = new RecoveryCommand(RecoverySettings.current(), System.getenv(), out, Clock.systemUTC());
            return c.run(args.get(0), options);
        } catch (UsageException e) {
            err.println("error: " + e.getMessage());
            err.println(USAGE);
            return 2;
        } catch (RecoveryException e) {
            err.println("error: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("error: " + e);
            return 1;
        }
    }

    int run(String command, Map<String, String> options) throws IOException {
        Optional<Path> bindir = Optional.ofNullable(options.get("--pg-bindir")).map(Path::of);
        char[] passphrase = passphrase(options.get("--passphrase-file"));
        try {
            if (command.equals("backup")) {
                Path output = Path.of(require(options, "--output"));
                Map<String, Object> made = new ConsoleBackup(settings, PgTools.of(settings, bindir), clock).write(output, passphrase);
                out.println("backup written: " + made.get("archive") + " (" + made.get("archiveBytes") + " bytes; "
                        + made.get("storedBackupFiles") + " stored sensor backup files, " + made.get("updatePackageFiles")
                        + " update package files; master key sealed under the passphrase)");
            } else {
                Path archive = Path.of(require(options, "--archive"));
                Optional<Path> keyOut = Optional.ofNullable(options.get("--master-key-out")).map(Path::of);
                Map<String, Object> done = new ConsoleRestore(settings, PgTools.of(settings, bindir))
                        .restore(archive, passphrase, keyOut);
                out.println("restored " + done.get("archive") + " (made " + done.get("createdAt") + "): database, "
                        + done.get("storedBackupFiles") + " stored sensor backup files, " + done.get("updatePackageFiles")
                        + " update package files; master key: " + done.get("masterKey"));
                out.println("start the console now; sensors reconnect with their certificates once its agent-plane "
                        + "address is the one they know");
            }
            return 0;
        } finally {
            Arrays.fill(passphrase, '\0');
        }
    }

    private char[] passphrase(String file) throws IOException {
        String text;
        if (file != null) {
            try {
                text = Files.readString(Path.of(file));
            } catch (IOException e) {
                throw new RecoveryException("cannot read the passphrase file " + file + ": " + e.getMessage());
            }
            // A trailing newline from an editor or echo is not part of the passphrase.
            text = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        } else {
            text = env.get(PASSPHRASE_ENV);
            if (text == null || text.isEmpty()) {
                throw new RecoveryException("no passphrase: give --passphrase-file FILE or set " + PASSPHRASE_ENV);
            }
        }
        return text.toCharArray();
    }

    private static String require(Map<String, String> options, String name) {
        String v = options.get(name);
        if (v == null) {
            throw new UsageException(name + " is required");
        }
        return v;
    }

    static Map<String, String> options(List<String> args) {
        if (args.isEmpty() || !COMMANDS.contains(args.get(0))) {
            throw new UsageException("unknown command");
        }
        Set<String> known = args.get(0).equals("backup") ? Set.of("--output", "--passphrase-file", "--pg-bindir")
                : Set.of("--archive", "--passphrase-file", "--master-key-out", "--pg-bindir");
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.size(); i += 2) {
            String name = args.get(i);
            if (!known.contains(name)) {
                throw new UsageException("unknown option " + name);
            }
            if (i + 1 >= args.size() || args.get(i + 1).isBlank()) {
                throw new UsageException(name + " needs a value");
            }
            if (options.put(name, args.get(i + 1)) != null) {
                throw new UsageException(name + " given twice");
            }
        }
        require(options, args.get(0).equals("backup") ? "--output" : "--archive");
        return options;
    }

    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
