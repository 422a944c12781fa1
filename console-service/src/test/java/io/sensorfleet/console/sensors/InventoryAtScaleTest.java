package io.sensorfleet.console.sensors;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sensorfleet.console.support.Api;
import io.sensorfleet.console.support.PostgresTestResource;
import io.sensorfleet.console.support.SqlFleet;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.math.BigInteger;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Search, bulk labelling and export with 100,000 sensors in the database (host names on all, three
 * labels on four in five). Times and heap are logged, not asserted: they measure this machine, and the
 * benchmark owns the targets; the results are checked, for every kind of search (the right sensors in
 * name order, each with what matched).
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class InventoryAtScaleTest {
    private static final Logger LOG = Logger.getLogger(InventoryAtScaleTest.class);
    private static final int FLEET = 100_000;

    @Inject
    AgroalDataSource db;
    @TestHTTPResource("/api/v1/sensors/export")
    URL export;

    @Test
    void searchAndExportAtAHundredThousandSensors() throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 6);
        String p = "huge-" + tag + "-";
        long start = System.nanoTime();
        SqlFleet.insert(db, p, FLEET);
        LOG.infof("inserted %d sensors in %d ms", FLEET, ms(start));
        addressesAndLabels(p, tag);
        try (var c = db.getConnection(); var s = c.createStatement()) {
            s.execute("analyze sensors; analyze sensor_labels");
        }
        bulkLabel(p);

        Api.asAdmin().get("/api/v1/sensors/search?q=warm-up").then().statusCode(200);
        Search search = new Search(db, p);
        search.expect("part of a name", tag + "-04242", "name", List.of(4242));
        search.expect("part of a name matching the whole fleet (first 20 by name)", "huge-" + tag, "name",
                List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20));
        search.expect("part of a host name", tag + "-04242.dc", "hostname", List.of(4242));
        search.expect("a label key on 80% of the fleet (first 20 by name)", "rack-" + tag, "label",
                List.of(1, 2, 3, 4, 6, 7, 8, 9, 11, 12, 13, 14, 16, 17, 18, 19, 21, 22, 23, 24));
        search.expect("a label value on 500 sensors", "site-" + tag + "-137", "label",
                List.of(137, 337, 537, 737, 937, 1137, 1337, 1537, 1737, 1937, 2137, 2337, 2537, 2737, 2937, 3137,
                        3337, 3537, 3737, 3937));
        search.expect("key=value on 500 sensors", "site=site-" + tag + "-137", "label",
                List.of(137, 337, 537, 737, 937, 1137, 1337, 1537, 1737, 1937, 2137, 2337, 2537, 2737, 2937, 3137,
                        3337, 3537, 3737, 3937));
        search.expect("a whole id", sensorColumn(p + "77777", "id::text"), "id", List.of(77777));
        BigInteger serial = new BigInteger(sensorColumn(p + "55555", "certificate_serial::text"));
        search.expect("a serial in decimal", serial.toString(), "serial", List.of(55555));
        String hex = serial.toString(16);
        hex = hex.length() % 2 == 0 ? hex : "0" + hex;
        search.expect("a serial in hex", hex.toUpperCase(java.util.Locale.ROOT), "serial", List.of(55555));
        search.expect("a serial in hex with colons", String.join(":", hex.split("(?<=\\G..)")), "serial", List.of(55555));
        List<Map<String, String>> shortHits = search.run("two characters (start of a name)", "hu", 100);
        assertEquals(100, shortHits.size());
        assertTrue(shortHits.stream().allMatch(h -> startsWith(h, "hu")), shortHits.toString());
        List<Map<String, String>> inside = search.run("two characters found only inside names", "ug", 100);
        assertTrue(inside.stream().allMatch(h -> startsWith(h, "ug")), inside.toString());
        List<String> gold = Api.asAdmin().get("/api/v1/sensors/search?q=tier=gold&limit=100").then().statusCode(200)
                .extract().jsonPath().getList("name");
        assertEquals(100, gold.size());
        assertTrue(gold.stream().allMatch(n -> Integer.parseInt(n.substring(p.length())) % 10 == 0), gold.toString());
        search.logSummary();

        // Twice: the first export since start also pays for class loading and compilation; search is
        // measured warm too (several runs).
        assertEquals(FLEET, exportLines("format=csv&name=" + p, "csv (the first export since start)") - 1);
        assertEquals(FLEET, exportLines("format=csv&name=" + p, "csv (again)") - 1);
        assertEquals(FLEET, exportLines("format=jsonl&name=" + p, "jsonl"));
        assertEquals(FLEET / 10, exportLines("format=jsonl&name=" + p + "&label=tier=gold", "jsonl (label filter)"));
    }

    /**
     * Host names on every sensor, and three labels (site, role, a rack key of this run's own) on four
     * sensors in five, as a fleet would have: 240,000 label rows for search to look through.
     */
    private void addressesAndLabels(String p, String tag) throws Exception {
        long start = System.nanoTime();
        try (var c = db.getConnection(); var s = c.prepareStatement("update sensors set hostname = 'ids-' || ? || '-' "
                + "|| substr(name, ?) || '.dc' || (substr(name, ?)::int % 37) || '.example.net' where name like ?")) {
            s.setString(1, tag);
            s.setInt(2, p.length() + 1);
            s.setInt(3, p.length() + 1);
            s.setString(4, p + "%");
            assertEquals(FLEET, s.executeUpdate());
        }
        try (var c = db.getConnection(); var s = c.prepareStatement("insert into sensor_labels (sensor_id, key, value, "
                + "updated_at) select id, kv.k, kv.v, now() from (select id, substr(name, ?)::int as n from sensors "
                + "where name like ?) f cross join lateral (values ('site', 'site-' || ? || '-' || (n % 200)), "
                + "('role', case when n % 3 = 0 then 'edge' else 'core' end), ('rack-' || ?, 'r' || (n % 1000))) "
                + "kv(k, v) where n % 5 <> 0")) {
            s.setInt(1, p.length() + 1);
            s.setString(2, p + "%");
            s.setString(3, tag);
            s.setString(4, tag);
            assertEquals(FLEET / 5 * 4 * 3, s.executeUpdate());
        }
        LOG.infof("set host names on %d sensors and 3 labels on %d of them in %d ms", FLEET, FLEET / 5 * 4, ms(start));
    }

    /**
     * Labels a tenth of the fleet by filter in one request, three times: added, changed, changed back;
     * after a first request on one sensor, whose time is mostly the application's first labelling. The
     * admin logs in before (a password hash, in seconds on a loaded machine, was in the time before).
     */
    private void bulkLabel(String p) {
        Api.adminToken();
        long first = System.nanoTime();
        Api.asAdmin().body(Map.of("filter", Map.of("name", p + "00001"), "set", Map.of("warm", "up")))
                .post("/api/v1/sensors/labels").then().statusCode(200).body("sensors", equalTo(1));
        LOG.infof("labelled 1 sensor by filter, the first labelling request since start: %d ms", ms(first));
        List<Long> times = new ArrayList<>();
        for (String tier : List.of("gold", "silver", "gold")) {
            long start = System.nanoTime();
            Api.asAdmin().body(Map.of("filter", Map.of("name", p, "version", "2.0.0"), "set", Map.of("tier", tier)))
                    .post("/api/v1/sensors/labels").then().statusCode(200).body("sensors", equalTo(FLEET / 10))
                    .body("set", equalTo(FLEET / 10));
            times.add(ms(start));
        }
        LOG.infof("labelled %d sensors by filter in one request (tier set, changed, changed back): %s ms; best %d ms, "
                + "median %d ms (load average %.1f)", FLEET / 10, times, best(times), median(times), load());
    }

    private String sensorColumn(String name, String column) throws Exception {
        try (var c = db.getConnection(); var s = c.prepareStatement("select " + column + " from sensors where name = ?")) {
            s.setString(1, name);
            try (var r = s.executeQuery()) {
                assertTrue(r.next(), name);
                return r.getString(1);
            }
        }
    }

    /**
     * Runs each kind of search several times through the API, checks its hits, keeps its times; and
     * runs its statement under EXPLAIN ANALYZE, for the database's share of the time and to check that
     * no kind reads a whole table.
     */
    private static final class Search {
        private static final int RUNS = 5;
        private static final Pattern PARAM = Pattern.compile("\\?(\\d+)");
        private static final Pattern SEQ_SCAN = Pattern.compile("Seq Scan on (sensors|sensor_labels)\\b");
        private static final Pattern EXECUTION = Pattern.compile("Execution Time: ([0-9.]+) ms");
        private final AgroalDataSource db;
        private final String prefix;
        private final Map<String, List<Long>> times = new LinkedHashMap<>();
        private final Map<String, Double> database = new LinkedHashMap<>();

        Search(AgroalDataSource db, String prefix) {
            this.db = db;
            this.prefix = prefix;
        }

        /** The hits are these sensors (by number), in this order, each matched on {@code matched}. */
        void expect(String kind, String q, String matched, List<Integer> numbers) throws Exception {
            List<Map<String, String>> hits = run(kind, q, 20);
            List<String> names = numbers.stream().map(n -> prefix + String.format("%05d", n)).toList();
            assertEquals(names, hits.stream().map(h -> h.get("name")).toList(), kind + ": " + q);
            assertTrue(hits.stream().allMatch(h -> h.get("matched").equals(matched)), kind + ": " + hits);
        }

        List<Map<String, String>> run(String kind, String q, int limit) throws Exception {
            List<Map<String, String>> hits = null;
            List<Long> runs = new ArrayList<>();
            for (int i = 0; i < RUNS; i++) {
                long start = System.nanoTime();
                hits = Api.asAdmin().queryParam("q", q).queryParam("limit", limit).get("/api/v1/sensors/search")
                        .then().statusCode(200).extract().jsonPath().getList("");
                runs.add(ms(start));
            }
            times.put(kind, runs);
            double inDatabase = Double.MAX_VALUE;
            for (int i = 0; i < 3; i++) {
                String plan = plan(q, limit);
                assertFalse(SEQ_SCAN.matcher(plan).find(), kind + " reads a whole table:\n" + plan);
                Matcher m = EXECUTION.matcher(plan);
                assertTrue(m.find(), plan);
                inDatabase = Math.min(inDatabase, Double.parseDouble(m.group(1)));
            }
            database.put(kind, inDatabase);
            LOG.infof("search by %s among %d sensors (%s): %s ms; best %d ms, median %d ms; in the database "
                    + "(EXPLAIN ANALYZE, best of 3) %.2f ms", kind, FLEET, q, runs, best(runs), median(runs), inDatabase);
            return hits;
        }

        /** The search's plan, run, in a transaction with the search's settings. */
        private String plan(String q, int limit) throws Exception {
            SensorSearch.Statement statement = SensorSearch.statement(q, limit);
            List<Object> bound = new ArrayList<>();
            Matcher m = PARAM.matcher(statement.sql());
            StringBuilder sql = new StringBuilder("explain (analyze, buffers) ");
            while (m.find()) {
                bound.add(statement.params().get(Integer.parseInt(m.group(1)) - 1));
                m.appendReplacement(sql, "?");
            }
            m.appendTail(sql);
            try (var c = db.getConnection()) {
                c.setAutoCommit(false);
                try (var settings = c.createStatement(); var explain = c.prepareStatement(sql.toString())) {
                    settings.executeQuery(SensorSearch.SETTINGS).close();
                    for (int i = 0; i < bound.size(); i++) {
                        explain.setObject(i + 1, bound.get(i));
                    }
                    StringBuilder plan = new StringBuilder();
                    try (var rows = explain.executeQuery()) {
                        while (rows.next()) {
                            plan.append(rows.getString(1)).append('\n');
                        }
                    }
                    return plan.toString();
                } finally {
                    c.rollback();
                    c.setAutoCommit(true);
                }
            }
        }

        void logSummary() {
            StringBuilder out = new StringBuilder("search at " + FLEET + " sensors, " + RUNS + " runs each through the "
                    + "API (best / median ms) and the statement alone (EXPLAIN ANALYZE, best of 3, ms), load average "
                    + String.format("%.1f", load()) + ":");
            times.forEach((kind, runs) -> out.append("\n  ").append(kind).append(": ").append(best(runs)).append(" / ")
                    .append(median(runs)).append("; ").append(String.format("%.2f", database.get(kind))));
            LOG.info(out);
        }
    }

    /** A short text matches the start of what the hit says matched: its name or its host name. */
    private static boolean startsWith(Map<String, String> hit, String text) {
        String what = hit.get(hit.get("matched"));
        return what != null && what.toLowerCase(java.util.Locale.ROOT).startsWith(text);
    }

    private static long best(List<Long> times) {
        return times.stream().mapToLong(Long::longValue).min().orElse(-1);
    }

    private static long median(List<Long> times) {
        return times.stream().sorted().toList().get(times.size() / 2);
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** Reads the export as it streams, counting lines; logs time to the first line and the heap while it ran. */
    private long exportLines(String query, String what) throws Exception {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long before = memory.getHeapMemoryUsage().getUsed();
        AtomicLong peak = new AtomicLong(before);
        Thread sampler = Thread.ofVirtual().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        long start = System.nanoTime();
        long firstLine = -1;
        long lines = 0;
        HttpRequest request = HttpRequest.newBuilder(URI.create(export + "?" + query))
                .header("Authorization", "Bearer " + Api.adminToken()).build();
        HttpResponse<java.io.InputStream> response = HttpClient.newHttpClient().send(request,
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        try (BufferedReader r = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            while (r.readLine() != null) {
                if (lines++ == 0) {
                    firstLine = ms(start);
                }
            }
        } finally {
            sampler.interrupt();
            sampler.join();
        }
        System.gc();
        long after = memory.getHeapMemoryUsage().getUsed();
        LOG.infof("export %s: %d lines, first line after %d ms, all in %d ms; heap used before %d MB, peak %d MB "
                        + "(garbage included), after a GC %d MB (client, server and test in one JVM)", what, lines,
                firstLine, ms(start), before >> 20, peak.get() >> 20, after >> 20);
        return lines;
    }

    private static long ms(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
