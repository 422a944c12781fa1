package io.sensorfleet.agent.update;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * What an installation in progress is doing: {@code updates/journal}, written before the
 * {@code current} link changes and removed once the outcome is settled. One {@code key=value} per
 * line, because the launcher (a shell script, the watcher of a hand-over) reads and writes it too;
 * every write replaces the file in one rename.
 * <p>
 * Phases: {@code SWITCHING} (the link may name either version) and {@code VALIDATING} (it names the
 * new one) for an installation in place; {@code WATCHING} (the new version was handed over and the
 * launcher watches it until {@code deadline}), then {@code PASSED} or {@code ROLLED_BACK} (with
 * {@code reason}), written by the launcher.
 *
 * @param window          WATCHING: the watch window in seconds, counted from the new version's first start
 * @param heartbeatWithin WATCHING: seconds from the first start within which the new version's first
 *                        successful heartbeat is due (0: not asked, a sensor not connected to a console)
 * @param deadline        end of the watch window, seconds since the epoch: written by the launcher at the
 *                        new version's first start (0 before)
 * @param heartbeatBy     the same for the first heartbeat
 * @param maxStarts   WATCHING: starts of the new version after which it is rolled back
 * @param reason      ROLLED_BACK: why, one line
 * @param local       installed with {@code sensor-agent update}: no console task to report to
 */
public record UpdateJournal(UUID taskId, String from, String to, String phase, long window, long heartbeatWithin,
                            long deadline, long heartbeatBy, int maxStarts, String reason, boolean local) {
    static final String FILE = "journal";

    public UpdateJournal(UUID taskId, String from, String to, String phase) {
        this(taskId, from, to, phase, 0, 0, 0, 0, 0, null, false);
    }

    static Optional<UpdateJournal> read(Path updatesDir) {
        Path f = updatesDir.resolve(FILE);
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        try {
            Map<String, String> v = new LinkedHashMap<>();
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    v.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            String task = v.get("task");
            return Optional.of(new UpdateJournal(task == null || task.isEmpty() ? null : UUID.fromString(task),
                    blankToNull(v.get("from")), blankToNull(v.get("to")), v.getOrDefault("phase", "UNREADABLE"),
                    number(v.get("window")), number(v.get("heartbeat_within")), number(v.get("deadline")), number(v.get("heartbeat_by")), (int) number(v.get("max_starts")),
                    blankToNull(v.get("reason")), "true".equals(v.get("local"))));
        } catch (IOException | IllegalArgumentException e) {
            // A torn journal means the write before the switch did not finish: the link was not touched.
            return Optional.of(new UpdateJournal(null, null, null, "UNREADABLE"));
        }
    }

    void write(Path updatesDir) throws IOException {
        Files.createDirectories(updatesDir);
        String text = "task=" + (taskId == null ? "" : taskId) + "\nfrom=" + nullToBlank(from) + "\nto=" + nullToBlank(to)
                + "\nphase=" + phase + "\nwindow=" + window + "\nheartbeat_within=" + heartbeatWithin
                + "\ndeadline=" + deadline + "\nheartbeat_by=" + heartbeatBy
                + "\nmax_starts=" + maxStarts + "\nreason=" + oneLine(reason) + "\nlocal=" + local + "\n";
        Durable.write(updatesDir.resolve(FILE), text.getBytes(StandardCharsets.UTF_8));
    }

    UpdateJournal phase(String next) {
        return new UpdateJournal(taskId, from, to, next, window, heartbeatWithin, deadline, heartbeatBy, maxStarts, reason,
                local);
    }

    static void clear(Path updatesDir) throws IOException {
        Files.deleteIfExists(updatesDir.resolve(FILE));
    }

    private static long number(String s) {
        return s == null || s.isBlank() ? 0 : Long.parseLong(s.strip());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String nullToBlank(String s) {
        return s == null ? "" : s;
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("[\\r\\n]+", " ").strip();
    }
}
