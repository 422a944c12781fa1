package io.sensorfleet.console.web.charts;

import java.util.Locale;

/** A value axis with round steps that always includes zero. */
record Scale(double lo, double hi, double step) {
    static Scale of(double min, double max) {
        double lo = Math.min(0, min);
        double hi = Math.max(0, max);
        if (hi - lo <= 0) {
            hi = lo + 1;
        }
        double step = niceStep((hi - lo) / 4);
        return new Scale(Math.floor(lo / step) * step, Math.ceil(hi / step) * step, step);
    }

    /** 1, 2 or 5 times a power of ten, at least {@code raw} (and at least 1: counts and milliseconds are whole). */
    static double niceStep(double raw) {
        if (raw <= 1) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[]{1, 2, 5, 10}) {
            if (m * magnitude >= raw) {
                return m * magnitude;
            }
        }
        return 10 * magnitude;
    }

    /** The y coordinate of {@code v} in a plot from {@code top} of {@code height}. */
    double y(double v, double top, double height) {
        return top + height - (v - lo) / (hi - lo) * height;
    }

    /** Whole numbers without decimals, others with one. */
    static String format(double v) {
        long r = Math.round(v);
        return Math.abs(v - r) < 0.05 ? Long.toString(r) : String.format(Locale.ROOT, "%.1f", v);
    }
}
