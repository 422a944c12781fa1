package io.sensorfleet.console.recovery;

import java.util.regex.Pattern;

/**
 * Where things are inside a console backup archive (a ustar file that {@code tar tvf} lists): the
 * sealed master key first, then the database dump, the two storage trees, and last a manifest
 * with the size and SHA-256 of every file, which a restore checks before it changes anything.
 */
final class ArchiveLayout {
    static final String ESCROW = "master-key.escrow.json";
    static final String DATABASE = "database.dump";
    static final String BACKUPS = "storage/backups/";
    static final String UPDATES = "storage/updates/";
    static final String MANIFEST = "manifest.json";
    static final int FORMAT = 1;

    /**
     * Names a storage entry may have: relative, plain characters, no {@code .} or {@code ..}
     * segment. The console names its stored files itself, so anything else was not written by a
     * backup and is refused rather than extracted.
     */
    private static final Pattern STORAGE_NAME = Pattern.compile("storage/(backups|updates)/([A-Za-z0-9_][A-Za-z0-9_.+-]*/)*[A-Za-z0-9_][A-Za-z0-9_.+-]*/?");

    private ArchiveLayout() {
    }

    static boolean isStorageName(String name) {
        return STORAGE_NAME.matcher(name).matches() && !name.contains("/../") && !name.contains("/./");
    }
}
