package io.sensorfleet.console.common;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The table of performance targets in docs/benchmarks.md holds what each target's evidence must
 * show: a committed result file, its plot, the console CPU per operation that result printed, and
 * for a target missed, the profile that explains it. A row that quotes a figure its result file
 * does not contain, or a miss without a profile, fails here.
 */
class BenchmarkTargetsDocTest {
    private static final Path ROOT = Path.of("..");
    private static final Path DOC = ROOT.resolve("docs/benchmarks.md");
    private static final String HEADING = "### Issue 18's targets at a glance";
    private static final Pattern RESULT = Pattern.compile("\\.\\./bench/results/([^)\\s]+?)(?<!-profile)\\.txt");
    private static final Pattern CONSOLE_CPU = Pattern.compile("^cost per [^:]+: console ([0-9.]+) ms CPU", Pattern.MULTILINE);

    /** One row of the table, split into its cells. */
    record Row(String target, String status, String cpu, String evidence, String explanation) {
        boolean missed() {
            return status.toLowerCase().contains("missed");
        }
    }

    @Test
    void everyTargetHasAResultItsPlotItsCpuPerOperationAndAMissItsProfile() throws IOException {
        List<Row> rows = rows(Files.readString(DOC));
        assertTrue(rows.size() >= 12, "targets in the table: " + rows.size());
        List<String> problems = new ArrayList<>();
        for (Row row : rows) {
            Matcher result = RESULT.matcher(row.evidence());
            if (!result.find()) {
                problems.add(row.target() + ": no result file");
                continue;
            }
            String name = result.group(1);
            if (!row.evidence().contains("../bench/results/" + name + ".svg")) {
                problems.add(row.target() + ": no plot of " + name);
            }
            Matcher cpu = CONSOLE_CPU.matcher(Files.readString(ROOT.resolve("bench/results/" + name + ".txt")));
            if (!cpu.find()) {
                problems.add(row.target() + ": " + name + " prints no console CPU per operation");
            } else if (!row.cpu().contains(cpu.group(1) + " ms")) {
                problems.add(row.target() + ": " + name + " printed " + cpu.group(1) + " ms, the table says " + row.cpu());
            }
            if (row.missed() && !row.explanation().contains("-profile.txt)")) {
                problems.add(row.target() + ": missed without a profile");
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void aRowIsSplitIntoItsFiveCellsAndAMissIsRecognised() {
        List<Row> rows = rows("""
                intro
                ### Issue 18's targets at a glance

                | target | status | console CPU per operation | evidence | what explains a miss |
                |---|---|---|---|---|
                | heartbeats | **missed** | 0.15 ms | [r](../bench/results/x.txt) | [p](../bench/results/x-profile.txt) |
                | storm | met | 1 ms | [r](../bench/results/y.txt) | — |

                ### Next
                | not | a | target | row | here |
                """);
        assertEquals(2, rows.size());
        assertTrue(rows.get(0).missed());
        assertFalse(rows.get(1).missed());
        assertEquals("0.15 ms", rows.get(0).cpu());
        assertEquals("[p](../bench/results/x-profile.txt)", rows.get(0).explanation());
        Matcher m = RESULT.matcher(rows.get(0).evidence() + " " + rows.get(0).explanation());
        assertTrue(m.find());
        assertEquals("x", m.group(1));
        assertFalse(m.find(), "a profile is not a result file");
    }

    static List<Row> rows(String markdown) {
        int start = markdown.indexOf(HEADING);
        assertTrue(start >= 0, "no section " + HEADING);
        int end = markdown.indexOf("\n### ", start + HEADING.length());
        String section = markdown.substring(start, end < 0 ? markdown.length() : end);
        List<Row> rows = new ArrayList<>();
        for (String line : section.lines().toList()) {
            if (!line.startsWith("| ") || line.startsWith("| target |")) {
                continue;
            }
            String[] cells = line.substring(2, line.length() - 2).split(" \\| ", -1);
            assertEquals(5, cells.length, "cells in: " + line);
            rows.add(new Row(cells[0], cells[1], cells[2], cells[3], cells[4]));
        }
        return rows;
    }
}
