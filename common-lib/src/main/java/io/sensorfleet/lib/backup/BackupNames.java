package io.sensorfleet.lib.backup;

import io.sensorfleet.protocol.v1.update.Versions;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Backup file names, the same on sensor and console. A backup is named as on the appliance's own backup page,
 * {@code <sensor name>-backup-version-<version>-<yyyy-MM-dd_HH:mm:ss>.tar} (time in the sensor's
 * time zone), with its SHA-256 beside it in {@code <name>.sha256} ({@code sha256sum} format).
 * <p>
 * A name that comes from elsewhere — an upload from a sensor, a file an operator points at — is
 * never used as a path: {@link #sanitise(String)} reduces it to one harmless file name, and the
 * console stores every file under a name it chooses itself.
 */
public final class BackupNames {
    /** The timestamp format of backup names (UTC, to the second). */
    public static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd_HH:mm:ss");
    public static final String INFIX = "-backup-version-";
    public static final String EXTENSION = ".tar";
    /** Appended to a backup's file name for the file that holds its SHA-256. */
    public static final String CHECKSUM_EXTENSION = ".sha256";
    /** Longest name {@link #sanitise(String)} returns. */
    public static final int MAX_LENGTH = 200;
    /** What {@link #sanitise(String)} returns when nothing usable is left. */
    public static final String FALLBACK = "backup.tar";

    private static final Pattern NAME = Pattern.compile(
            "(.+)" + Pattern.quote(INFIX) + "([0-9A-Za-z][0-9A-Za-z.+_-]{0,63})-(\\d{4}-\\d{2}-\\d{2}_\\d{2}:\\d{2}:\\d{2})"
                    + Pattern.quote(EXTENSION));
    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._:+-]");
    private static final Pattern UNSAFE_SENSOR = Pattern.compile("[^A-Za-z0-9._-]");
    private static final int MAX_SENSOR_NAME = 64;

    /** What a backup's name says. */
    public record Parsed(String sensorName, String version, LocalDateTime takenAt) {
    }

    private BackupNames() {
    }

    /**
     * The name of a backup taken at {@code takenAt} (sensor's local time, whole seconds).
     *
     * @throws IllegalArgumentException when the version is not a plain version string
     */
    public static String fileName(String sensorName, String version, LocalDateTime takenAt) {
        if (!Versions.valid(version)) {
            throw new IllegalArgumentException("not a software version: " + version);
        }
        return sensorPart(sensorName) + INFIX + version + "-" + TIMESTAMP.format(takenAt.truncatedTo(ChronoUnit.SECONDS))
                + EXTENSION;
    }

    /**
     * The sensor name as it appears in a file name: letters, digits, {@code . _ -} (anything else
     * becomes {@code _}), no leading dot, at most 64 characters; {@code sensor} if nothing is left.
     */
    public static String sensorPart(String sensorName) {
        String s = sensorName == null ? "" : UNSAFE_SENSOR.matcher(sensorName.strip()).replaceAll("_");
        s = stripLeadingDots(s);
        if (s.length() > MAX_SENSOR_NAME) {
            s = s.substring(0, MAX_SENSOR_NAME);
        }
        return s.isEmpty() ? "sensor" : s;
    }

    /** Reads a backup's name; empty when it does not follow the format. */
    public static Optional<Parsed> parse(String fileName) {
        if (fileName == null) {
            return Optional.empty();
        }
        Matcher m = NAME.matcher(fileName);
        if (!m.matches() || !Versions.valid(m.group(2))) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Parsed(m.group(1), m.group(2), LocalDateTime.parse(m.group(3), TIMESTAMP)));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * Neutralises a name received from a peer: keeps only its last path segment (after any
     * {@code /} or {@code \}), turns NUL, control characters and anything but letters, digits and
     * {@code . _ : + -} into {@code _}, drops leading dots (so never {@code .} or {@code ..} or a
     * hidden file), and cuts it to {@link #MAX_LENGTH}. Never empty.
     */
    public static String sanitise(String untrusted) {
        if (untrusted == null) {
            return FALLBACK;
        }
        String s = untrusted;
        int slash = Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\'));
        if (slash >= 0) {
            s = s.substring(slash + 1);
        }
        s = stripLeadingDots(UNSAFE.matcher(s).replaceAll("_"));
        if (s.length() > MAX_LENGTH) {
            s = s.substring(0, MAX_LENGTH);
        }
        return s.isEmpty() ? FALLBACK : s;
    }

    /** True when {@link #sanitise(String)} would leave the name as it is. */
    public static boolean isSafe(String name) {
        return name != null && sanitise(name).equals(name);
    }

    /** A SHA-256 as both sides write it: 64 lowercase hex digits. */
    public static boolean isSha256(String hex) {
        return hex != null && hex.length() == 64 && hex.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    }

    private static String stripLeadingDots(String s) {
        int i = 0;
        while (i < s.length() && s.charAt(i) == '.') {
            i++;
        }
        return s.substring(i);
    }
}
