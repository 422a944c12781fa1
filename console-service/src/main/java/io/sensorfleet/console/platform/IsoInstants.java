package io.sensorfleet.console.platform;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * ISO-8601 instants in the one form agents send and the console writes ({@code 2026-12-05T03:07:55.123Z}),
 * read and written by arithmetic. {@link java.time.format.DateTimeFormatter#ISO_INSTANT} parses into a
 * map of fields and formats through a chain of printers: in the heartbeat-10k profile that was about
 * 7 % of the console's Java samples (the request's {@code sentAt}, the answer's {@code serverTime},
 * the flush's timestamps). Anything outside that form is left to the JDK, so the
 * results are exactly those of {@link Instant#parse} and {@link Instant#toString}.
 */
public final class IsoInstants {
    private static final int MIN_YEAR = 0;
    private static final int MAX_YEAR = 9999;

    private IsoInstants() {
    }

    /**
     * {@code yyyy-MM-ddTHH:mm:ss[.f…]Z} with 1 to 9 fraction digits, or null for any other text
     * (including an impossible date or time): the caller then uses the JDK's parser and its errors.
     */
    public static Instant parseOrNull(CharSequence s) {
        int n = s.length();
        if (n < 20 || n > 30 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
                || s.charAt(13) != ':' || s.charAt(16) != ':' || s.charAt(n - 1) != 'Z') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59) {
            return null;
        }
        int nano = 0;
        if (n > 20) {
            int fraction = n - 21;
            if (s.charAt(19) != '.' || fraction < 1 || fraction > 9) {
                return null;
            }
            int f = digits(s, 20, fraction);
            if (f < 0) {
                return null;
            }
            nano = f * POW10[9 - fraction];
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            return null;
        }
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nano);
    }

    /** Exactly {@link Instant#toString()}: the fraction in groups of three digits, none when zero. */
    public static String format(Instant t) {
        long seconds = t.getEpochSecond();
        long epochDay = Math.floorDiv(seconds, 86_400);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400);
        LocalDate date;
        try {
            date = LocalDate.ofEpochDay(epochDay);
        } catch (DateTimeException e) {
            return t.toString();
        }
        if (date.getYear() < MIN_YEAR || date.getYear() > MAX_YEAR) {
            return t.toString();
        }
        byte[] b = new byte[30];
        put(b, 0, date.getYear(), 4);
        b[4] = '-';
        put(b, 5, date.getMonthValue(), 2);
        b[7] = '-';
        put(b, 8, date.getDayOfMonth(), 2);
        b[10] = 'T';
        put(b, 11, secondOfDay / 3_600, 2);
        b[13] = ':';
        put(b, 14, secondOfDay / 60 % 60, 2);
        b[16] = ':';
        put(b, 17, secondOfDay % 60, 2);
        int end = 19;
        int nano = t.getNano();
        if (nano != 0) {
            b[end++] = '.';
            if (nano % 1_000_000 == 0) {
                put(b, end, nano / 1_000_000, 3);
                end += 3;
            } else if (nano % 1_000 == 0) {
                put(b, end, nano / 1_000, 6);
                end += 6;
            } else {
                put(b, end, nano, 9);
                end += 9;
            }
        }
        b[end++] = 'Z';
        return new String(b, 0, end, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static final int[] POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000,
            1_000_000_000};

    /** The number written by {@code count} ASCII digits from {@code from}, or -1 if any is not a digit. */
    private static int digits(CharSequence s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            int d = s.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    private static void put(byte[] b, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            b[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }
}
