package io.sensorfleet.console.history;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sensorfleet.console.common.Sql;
import io.sensorfleet.console.support.Browser;
import io.sensorfleet.console.support.PostgresTestResource;
import io.sensorfleet.console.support.SqlFleet;
import io.sensorfleet.console.support.TestClock;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class FleetHistoryTest {
    private static final Logger LOG = Logger.getLogger(FleetHistoryTest.class);

    @Inject
    FleetHistory fleet;
    @Inject
    TestClock clock;
    @Inject
    EntityManager em;
    @Inject
    AgroalDataSource db;
    @Inject
    SensorHistory sensorHistory;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private long rows(Instant minute) {
        return Sql.row(em, "select count(*) from fleet_history where minute = ?1", minute).longValue(0);
    }

    @Test
    void twoWritersAtTheSameMinuteWriteItOnce() throws Exception {
        // Far from the other tests' minutes: each round is a minute no one wrote.
        Instant base = Instant.parse("2031-01-01T00:00:00Z");
        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 10; round++) {
                Instant minute = base.plus(Duration.ofMinutes(round));
                CyclicBarrier start = new CyclicBarrier(2);
                List<Future<Boolean>> writers = new ArrayList<>();
                for (int w = 0; w < 2; w++) {
                    writers.add(two.submit(() -> {
                        start.await(10, TimeUnit.SECONDS);
                        return fleet.rollUp(minute.plusSeconds(7));
                    }));
                }
                int won = 0;
                for (Future<Boolean> f : writers) {
                    won += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
                }
                assertEquals(1, won, "round " + round + ": exactly one writer wrote the minute");
                assertEquals(1, rows(minute));
            }
        } finally {
            two.shutdownNow();
        }
        assertTrue(!fleet.rollUp(base.plusSeconds(59)), "a later look in the same minute finds it written");
    }

    @Test
    void pruningRemovesTheRollUpPastItsRetentionByTheClock() {
        Instant now = clock.instant();
        Instant minute = now.truncatedTo(ChronoUnit.MINUTES);
        fleet.rollUp(now);
        assertEquals(1, rows(minute));

        clock.advance(Duration.ofDays(29));
        fleet.prune();
        assertEquals(1, rows(minute), "kept for 30 days");

        clock.advance(Duration.ofDays(1).plusMinutes(2));
        fleet.prune();
        assertEquals(0, rows(minute), "gone after 30 days");
    }

    @Test
    void theRollUpOfAHundredThousandSensorsIsOneAggregate() throws Exception {
        String prefix = "roll-" + UUID.randomUUID().toString().substring(0, 6) + "-";
        SqlFleet.insert(db, prefix, 100_000);
        try {
            Instant warm = Instant.parse("2031-02-01T00:00:00Z");
            fleet.rollUp(warm); // plans and caches warm
            Instant minute = Instant.parse("2031-02-01T00:01:00Z");
            long start = System.nanoTime();
            assertTrue(fleet.rollUp(minute));
            long ms = (System.nanoTime() - start) / 1_000_000;
            LOG.infof("fleet roll-up of a minute with %d sensors in the database took %d ms", count(), ms);
            Sql.Row r = Sql.row(em, "select total, synced, disconnected, health_unknown from fleet_history where minute = ?1",
                    minute);
            assertTrue(r.longValue(0) >= 100_000, "total " + r.longValue(0));
            assertTrue(r.longValue(1) >= 75_000 && r.longValue(2) >= 25_000, "3 of 4 synced, 1 of 4 disconnected");
            assertTrue(r.longValue(3) >= 100_000, "the inserted sensors never reported a health");

            flushOfAThirdOfTheFleetsHeartbeatsPerSecond(prefix);
            Browser.admin().get().get("/ui").then().statusCode(200)
                    .body(containsString("Connectivity, 24h"), containsString("Health, 7d"),
                            containsString("role=\"img\""), containsString("Software versions: the data as a table"));
        } finally {
            try (Connection c = db.getConnection();
                 PreparedStatement ps = c.prepareStatement("delete from sensors where name like ?")) {
                ps.setString(1, prefix + "%");
                ps.executeUpdate();
            }
        }
    }

    /**
     * 100,000 sensors at a 30 s interval are 3,334 heartbeats a second: one flush's history upsert, first
     * as new quarter-hour rows, then merged into them. Logged, not asserted (no timings in tests).
     */
    private void flushOfAThirdOfTheFleetsHeartbeatsPerSecond(String prefix) {
        List<UUID> ids = Sql.list(em, "select id from sensors where name like ?1 order by id limit 3334", r -> r.uuid(0),
                prefix + "%");
        Instant at = Instant.parse("2031-02-01T00:05:00Z");
        for (String pass : List.of("new rows", "merged")) {
            List<SensorHistory.Sample> samples = ids.stream()
                    .map(id -> new SensorHistory.Sample(id, at, -120, 35L, "OK")).toList();
            long start = System.nanoTime();
            QuarkusTransaction.requiringNew().run(() -> {
                try {
                    sensorHistory.record(samples);
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            LOG.infof("sensor history of one flush (%d heartbeats, %s) written in %d ms", samples.size(), pass,
                    (System.nanoTime() - start) / 1_000_000);
        }
        Sql.Row r = Sql.row(em, "select count(*), min(heartbeats), max(rtt_sum_ms) from sensor_history where bucket = ?1",
                SensorHistory.bucket(at));
        assertEquals(3334, r.longValue(0));
        assertEquals(2, r.longValue(1));
        assertEquals(70, r.longValue(2));
    }

    private long count() {
        return Sql.row(em, "select count(*) from sensors").longValue(0);
    }
}
