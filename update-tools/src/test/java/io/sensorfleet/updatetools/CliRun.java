package io.sensorfleet.updatetools;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/** One update-tools invocation, in process, with what it printed. */
record CliRun(int exitCode, String out, String err) {

    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = UpdateToolsMain.run(args, new PrintWriter(out), new PrintWriter(err));
        return new CliRun(code, out.toString(), err.toString());
    }

    List<String> errLines() {
        return err.lines().toList();
    }
}
