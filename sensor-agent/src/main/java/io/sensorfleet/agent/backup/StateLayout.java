package io.sensorfleet.agent.backup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * The parts of the state directory a backup cares about. Identity files (key, certificates,
 * {@code agent.json}) stay at the top and are never backed up or restored: a restored sensor
 * keeps the certificate it has now, which is the one the console trusts.
 * <pre>
 * config/    configuration: settings files, applied.json          backed up
 * data/      the sensor's data                                      backed up
 * captures/  packet captures                                        never backed up, kept on restore
 * logs/      logs                                                   never backed up, kept on restore
 * backups/   local backups (*.tar) and their checksums (*.tar.sha256)
 * restore/   staging of a restore in progress (see {@link Restorer})
 * </pre>
 */
public final class StateLayout {
    public static final String CONFIG = "config";
    public static final String DATA = "data";
    public static final String CAPTURES = "captures";
    public static final String LOGS = "logs";
    public static final String BACKUPS = "backups";
    public static final String RESTORE = "restore";
    /** What a backup holds, in archive order. */
    public static final List<String> BACKED_UP = List.of(CONFIG, DATA);

    private StateLayout() {
    }

    /** Creates the directories that are missing (mode 0700, like the state dir); leaves existing ones alone. */
    public static void ensure(Path stateDir) {
        try {
            for (String d : List.of(CONFIG, DATA, CAPTURES, LOGS, BACKUPS)) {
                Path p = stateDir.resolve(d);
                if (!Files.isDirectory(p)) {
                    Files.createDirectories(p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the state directory layout in " + stateDir + ": " + e.getMessage(), e);
        }
    }
}
