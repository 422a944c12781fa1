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
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Search and export with 100,000 sensors in the database. Times and heap are logged, not asserted:
 * they measure this machine, and the benchmark owns the targets; the results are checked.
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
        String p = "huge-" + UUID.randomUUID().toString().substring(0, 6) + "-";
        long start = System.nanoTime();
        SqlFleet.insert(db, p, FLEET);
        LOG.infof("inserted %d sensors in %d ms", FLEET, ms(start));
        start = System.nanoTime();
        Api.asAdmin().body(Map.of("filter", Map.of("name", p, "version", "2.0.0"), "set", Map.of("tier", "gold")))
                .post("/api/v1/sensors/labels").then().statusCode(200).body("sensors", equalTo(FLEET / 10));
        LOG.infof("labelled %d sensors by filter in one request in %d ms", FLEET / 10, ms(start));
        try (var c = db.getConnection(); var s = c.createStatement()) {
            s.execute("analyze sensors; analyze sensor_labels");
        }

        Api.asAdmin().get("/api/v1/sensors/search?q=warm-up").then().statusCode(200);
        for (int i = 0; i < 3; i++) {
            start = System.nanoTime();
            Api.asAdmin().get("/api/v1/sensors/search?q=" + p + "0424" + i).then().statusCode(200);
            LOG.infof("search by part of a name among %d sensors, run %d: %d ms", FLEET, i + 1, ms(start));
        }
        start = System.nanoTime();
        List<String> names = Api.asAdmin().get("/api/v1/sensors/search?q=" + p + "04242").then().statusCode(200)
                .extract().jsonPath().getList("name");
        LOG.infof("search by part of a name among %d sensors: %d ms", FLEET, ms(start));
        assertEquals(List.of(p + "04242"), names);
        start = System.nanoTime();
        List<String> gold = Api.asAdmin().get("/api/v1/sensors/search?q=tier=gold&limit=100").then().statusCode(200)
                .extract().jsonPath().getList("name");
        LOG.infof("search by label among %d sensors: %d ms", FLEET, ms(start));
        assertEquals(100, gold.size());
        assertTrue(gold.stream().allMatch(n -> Integer.parseInt(n.substring(p.length())) % 10 == 0), gold.toString());
        String id = Api.asAdmin().get("/api/v1/sensors?name=" + p + "77777").then().extract().path("items[0].id");
        start = System.nanoTime();
        Api.asAdmin().get("/api/v1/sensors/search?q=" + id).then().statusCode(200).body("[0].name", equalTo(p + "77777"));
        LOG.infof("search by id among %d sensors: %d ms", FLEET, ms(start));

        assertEquals(FLEET, exportLines("format=csv&name=" + p, "csv") - 1);
        assertEquals(FLEET, exportLines("format=jsonl&name=" + p, "jsonl"));
        assertEquals(FLEET / 10, exportLines("format=jsonl&name=" + p + "&label=tier=gold", "jsonl (label filter)"));
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
