package io.sensorfleet.console.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.sensorfleet.console.support.AgentDaemon;
import io.sensorfleet.console.support.ConsoleProcess;
import io.sensorfleet.console.support.ReplicatedPostgres;
import io.sensorfleet.console.support.WebSession;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Failover to a promoted standby under synchronous replication: two consoles on a multi-host JDBC
 * URL ({@code targetServerType=primary}) carry on by themselves once the standby is promoted, a
 * change committed just before the primary died is there afterwards, and no sensor is DISCONNECTED.
 */
class PostgresFailoverIT {

    @Test
    void consolesResumeOnThePromotedStandbyWithNoCommittedChangeLost() throws Exception {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        String masterKey = Base64.getEncoder().encodeToString(key);
        try (ReplicatedPostgres db = ReplicatedPostgres.start(true)) {
            Map<String, String> env = new HashMap<>(PostgresOutageIT.consoleEnv());
            env.put("QUARKUS_DATASOURCE_JDBC_URL", db.jdbcUrl());
            List<ConsoleProcess> consoles = new ArrayList<>();
            try {
                consoles.add(ConsoleProcess.start(db.primary(), masterKey, env));
                consoles.add(ConsoleProcess.start(db.primary(), masterKey, env));
                ConsoleProcess a = consoles.get(0);
                ConsoleProcess b = consoles.get(1);
                try (AgentDaemon agentA = AgentDaemon.connectAndRun(PostgresOutageIT.connectionStrings(a, 1).getFirst());
                     AgentDaemon agentB = AgentDaemon.connectAndRun(PostgresOutageIT.connectionStrings(b, 1).getFirst())) {
                    List<String> ids = List.of(agentA.sensorId(), agentB.sensorId());
                    PostgresOutageIT.awaitReporting(a, ids);
                    // An agent's daemon can start later than the disconnect time after its enrollment;
                    // only what happens from here on counts.
                    Instant from = Instant.now();
                    WebSession session = WebSession.login(b.operatorClient(), b.operatorBaseUri());

                    String name = "committed just before the failover " + UUID.randomUUID();
                    HttpResponse<String> created = a.call("POST", "/api/v1/business-units", Map.of("name", name));
                    assertEquals(201, created.statusCode(), created.body());
                    Instant failover = Instant.now();
                    db.failover();
                    Instant promoted = Instant.now();

                    Map<String, Duration> resumed = new HashMap<>();
                    for (ConsoleProcess c : consoles) {
                        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                                .until(() -> c.call("POST", "/api/v1/business-units",
                                        Map.of("name", "after " + UUID.randomUUID())).statusCode() == 201);
                        resumed.put(c == a ? "A" : "B", Duration.between(failover, Instant.now()));
                    }
                    System.out.printf("measure db-failover: primary stopped and standby promoted in %d ms; "
                                    + "first write after the primary died: A %d ms, B %d ms%n",
                            Duration.between(failover, promoted).toMillis(), resumed.get("A").toMillis(),
                            resumed.get("B").toMillis());

                    for (ConsoleProcess c : consoles) {
                        JsonNode units = PostgresOutageIT.get(c, "/api/v1/business-units?size=1000");
                        assertTrue(units.toString().contains(name), "the change committed before the failover is kept");
                        assertEquals(200, PostgresOutageIT.readiness(c));
                    }
                    try (Connection standby = db.standbyConnection();
                         PreparedStatement ps = standby.prepareStatement(
                                 "select count(*) from business_units where name = ?")) {
                        ps.setString(1, name);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            assertEquals(1, rs.getInt(1), "the promoted standby holds the change");
                        }
                    }
                    Instant after = Instant.now();
                    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() ->
                            PostgresOutageIT.lastSeen(a, ids).values().stream().allMatch(t -> t.isAfter(after)));
                    assertEquals(Map.of(agentA.sensorId(), "SYNCED", agentB.sensorId(), "SYNCED"),
                            PostgresOutageIT.connectivity(b, ids));
                    for (String id : ids) {
                        JsonNode disconnects = PostgresOutageIT.get(a, "/api/v1/notifications?type=SENSOR_DISCONNECTED&sensorId="
                                + id + "&from=" + from);
                        assertEquals(0, disconnects.get("total").asInt(), "no sensor is DISCONNECTED by the failover: "
                                + disconnects);
                    }
                    assertTrue(session.works(), "a web session opened before the failover still works");
                    assertTrue(a.alive() && b.alive(), "no console was restarted");
                }
            } finally {
                consoles.forEach(ConsoleProcess::close);
            }
        }
    }
}
