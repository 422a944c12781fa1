package io.sensorfleet.console.updates;

import io.sensorfleet.console.common.ProblemException;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;

/**
 * When a rollout may start sensors: not before {@code startAt}, and only inside a daily window
 * (local time of a time zone) when it has one. A window whose end is before its start spans
 * midnight: 22:00–04:00 is open from 22:00 to 04:00 the next morning. Sensors already updating when
 * the window closes finish; the next ones start when it opens again.
 *
 * @param startAt null: at once
 * @param window  null: any time of day
 */
public record RolloutSchedule(Instant startAt, Window window) {
    static final Duration MAX_AHEAD = Duration.ofDays(366);
    /** Strict: 24:00 is not a time of day here. */
    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm")
            .withResolverStyle(ResolverStyle.STRICT);

    /** A daily window, {@code from} inclusive, {@code to} exclusive, in {@code zone}'s local time. */
    record Window(LocalTime from, LocalTime to, ZoneId zone) {
        boolean contains(Instant t) {
            LocalTime local = t.atZone(zone).toLocalTime();
            if (from.isBefore(to)) {
                return !local.isBefore(from) && local.isBefore(to);
            }
            return !local.isBefore(from) || local.isBefore(to);
        }

        String fromText() {
            return HH_MM.format(from);
        }

        String toText() {
            return HH_MM.format(to);
        }

        @Override
        public String toString() {
            return fromText() + "–" + toText() + " " + zone.getId();
        }
    }

    /**
     * A daily window as an operator writes it.
     *
     * @param from HH:mm, local time in zone
     * @param to   HH:mm; before from: the window spans midnight
     * @param zone IANA time zone, e.g. Europe/Berlin or UTC
     */
    public record WindowRequest(String from, String to, String zone) {
    }

    /** True when a sensor may start its update at {@code now}. */
    boolean open(Instant now) {
        return (startAt == null || !now.isBefore(startAt)) && (window == null || window.contains(now));
    }

    /** Reads and checks the operator's schedule (400 naming the field); {@code now} bounds startAt. */
    static RolloutSchedule parse(String startAt, WindowRequest window, Instant now) {
        Instant start = null;
        if (startAt != null) {
            try {
                start = OffsetDateTime.parse(startAt, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            } catch (DateTimeParseException e) {
                throw ProblemException.badRequest("startAt: an ISO-8601 time with its offset, e.g. "
                        + "2026-12-05T01:30:00Z or 2026-12-05T02:30:00+01:00");
            }
            if (start.isAfter(now.plus(MAX_AHEAD))) {
                throw ProblemException.badRequest("startAt: at most " + MAX_AHEAD.toDays() + " days ahead");
            }
        }
        return new RolloutSchedule(start, window == null ? null : window(window));
    }

    private static Window window(WindowRequest w) {
        LocalTime from = time("window.from", w.from());
        LocalTime to = time("window.to", w.to());
        if (from.equals(to)) {
            throw ProblemException.badRequest("window: from and to are the same time; leave the window out to "
                    + "allow any time of day");
        }
        if (w.zone() == null || w.zone().isBlank() || w.zone().length() > 64) {
            throw ProblemException.badRequest("window.zone: required, an IANA time zone such as Europe/Berlin or UTC");
        }
        try {
            return new Window(from, to, ZoneId.of(w.zone()));
        } catch (DateTimeException e) {
            throw ProblemException.badRequest("window.zone: unknown time zone '" + w.zone()
                    + "'; an IANA time zone such as Europe/Berlin or UTC");
        }
    }

    private static LocalTime time(String field, String value) {
        if (value == null || !value.matches("\\d{2}:\\d{2}")) {
            throw ProblemException.badRequest(field + ": required, HH:mm (00:00 to 23:59)");
        }
        try {
            return LocalTime.parse(value, HH_MM);
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest(field + ": required, HH:mm (00:00 to 23:59)");
        }
    }
}
