package io.sensorfleet.console.common;

/** CSV cells for exports that people open in spreadsheets. */
public final class Csv {
    private Csv() {
    }

    /** RFC 4180 quoting, and a leading quote on values a spreadsheet would run as a formula. */
    public static String cell(String s) {
        if (s == null) {
            return "";
        }
        String v = !s.isEmpty() && "=+-@".indexOf(s.charAt(0)) >= 0 ? "'" + s : s;
        return "\"" + v.replace("\"", "\"\"") + "\"";
    }
}
