package io.sensorfleet.console.web.charts;

import java.util.Locale;

/** A small SVG writer: every text and attribute value goes through {@link #escape}. */
final class Svg {
    /** The series' looks: a colour, and what tells them apart without it (a dash pattern and a marker shape). */
    static final String[] COLOURS = {"#1a7f37", "#9a6700", "#b42318", "#0b5cad", "#5a6470", "#6e40aa"};
    static final String[] DASHES = {"", "7 3", "2 3", "9 3 2 3", "4 4", "1 2"};
    static final String[] MARKERS = {"circle", "square", "triangle", "diamond", "cross", "bar"};

    private final StringBuilder out = new StringBuilder(4096);

    Svg open(String id, int width, int height, String title, String desc) {
        out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart-svg\" viewBox=\"0 0 ").append(width).append(' ')
                .append(height).append("\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" role=\"img\" aria-labelledby=\"").append(escape(id)).append("-title ").append(escape(id))
                .append("-desc\" font-family=\"system-ui, sans-serif\" font-size=\"12\">")
                .append("<title id=\"").append(escape(id)).append("-title\">").append(escape(title)).append("</title>")
                .append("<desc id=\"").append(escape(id)).append("-desc\">").append(escape(desc)).append("</desc>");
        return this;
    }

    Svg raw(String markup) {
        out.append(markup);
        return this;
    }

    Svg line(double x1, double y1, double x2, double y2, String stroke, String dash) {
        out.append("<line x1=\"").append(n(x1)).append("\" y1=\"").append(n(y1)).append("\" x2=\"").append(n(x2))
                .append("\" y2=\"").append(n(y2)).append("\" stroke=\"").append(stroke).append('"');
        if (!dash.isEmpty()) {
            out.append(" stroke-dasharray=\"").append(dash).append('"');
        }
        out.append("/>");
        return this;
    }

    Svg text(double x, double y, String anchor, String text) {
        return text(x, y, anchor, text, "#1b1f24");
    }

    Svg text(double x, double y, String anchor, String text, String fill) {
        out.append("<text x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" text-anchor=\"").append(anchor)
                .append("\" fill=\"").append(fill).append("\">").append(escape(text)).append("</text>");
        return this;
    }

    Svg rect(double x, double y, double w, double h, String fill, String stroke, String tooltip) {
        out.append("<rect x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" width=\"").append(n(w))
                .append("\" height=\"").append(n(h)).append("\" fill=\"").append(fill).append('"');
        if (stroke != null) {
            out.append(" stroke=\"").append(stroke).append('"');
        }
        if (tooltip == null) {
            out.append("/>");
        } else {
            out.append("><title>").append(escape(tooltip)).append("</title></rect>");
        }
        return this;
    }

    /** A marker of one of {@link #MARKERS}' shapes, centred on (x, y). */
    Svg marker(int series, double x, double y, String colour) {
        String shape = MARKERS[series % MARKERS.length];
        String style = " fill=\"#fff\" stroke=\"" + colour + "\" stroke-width=\"1.5\"";
        switch (shape) {
            case "circle" -> out.append("<circle cx=\"").append(n(x)).append("\" cy=\"").append(n(y)).append("\" r=\"3\"")
                    .append(style).append("/>");
            case "square" -> out.append("<rect x=\"").append(n(x - 3)).append("\" y=\"").append(n(y - 3))
                    .append("\" width=\"6\" height=\"6\" fill=\"").append(colour).append("\"/>");
            case "triangle" -> out.append("<path d=\"M").append(n(x)).append(' ').append(n(y - 4)).append("L")
                    .append(n(x + 4)).append(' ').append(n(y + 3)).append("L").append(n(x - 4)).append(' ').append(n(y + 3))
                    .append("Z\"").append(style).append("/>");
            case "diamond" -> out.append("<path d=\"M").append(n(x)).append(' ').append(n(y - 4)).append("L")
                    .append(n(x + 4)).append(' ').append(n(y)).append("L").append(n(x)).append(' ').append(n(y + 4))
                    .append("L").append(n(x - 4)).append(' ').append(n(y)).append("Z\" fill=\"").append(colour).append("\"/>");
            case "cross" -> out.append("<path d=\"M").append(n(x - 3)).append(' ').append(n(y - 3)).append("L")
                    .append(n(x + 3)).append(' ').append(n(y + 3)).append("M").append(n(x - 3)).append(' ').append(n(y + 3))
                    .append("L").append(n(x + 3)).append(' ').append(n(y - 3)).append("\" stroke=\"").append(colour)
                    .append("\" stroke-width=\"1.5\"/>");
            default -> out.append("<path d=\"M").append(n(x)).append(' ').append(n(y - 4)).append("L").append(n(x))
                    .append(' ').append(n(y + 4)).append("\" stroke=\"").append(colour).append("\" stroke-width=\"2\"/>");
        }
        return this;
    }

    /** Fills told apart by texture as well as colour: {@code id-p0} … {@code id-p4}, see {@link #FILL_NAMES}. */
    static final String[] FILL_NAMES = {"solid", "diagonal hatching", "dots", "cross-hatching", "light plain"};

    Svg patterns(String id) {
        String p = escape(id) + "-p";
        out.append("<defs>")
                .append("<pattern id=\"").append(p).append("0\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\">")
                .append("<rect width=\"6\" height=\"6\" fill=\"#1a7f37\"/></pattern>")
                .append("<pattern id=\"").append(p).append("1\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" ")
                .append("patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#fde2df\"/>")
                .append("<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#b42318\" stroke-width=\"3\"/></pattern>")
                .append("<pattern id=\"").append(p).append("2\" width=\"5\" height=\"5\" patternUnits=\"userSpaceOnUse\">")
                .append("<rect width=\"5\" height=\"5\" fill=\"#fff1cc\"/><circle cx=\"2.5\" cy=\"2.5\" r=\"1.3\" ")
                .append("fill=\"#9a6700\"/></pattern>")
                .append("<pattern id=\"").append(p).append("3\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\">")
                .append("<rect width=\"6\" height=\"6\" fill=\"#e6f1fc\"/><path d=\"M0 0L6 6M6 0L0 6\" stroke=\"#0b5cad\" ")
                .append("stroke-width=\"1\"/></pattern>")
                .append("<pattern id=\"").append(p).append("4\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\">")
                .append("<rect width=\"6\" height=\"6\" fill=\"#d5dae0\"/></pattern>")
                .append("</defs>");
        return this;
    }

    static String fill(String id, int k) {
        return "url(#" + escape(id) + "-p" + (k % FILL_NAMES.length) + ")";
    }

    String close() {
        return out.append("</svg>").toString();
    }

    /** Numbers with at most one decimal, never in the locale's format. */
    static String n(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    // Control characters are not allowed in XML 1.0.
                    if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
