package io.sensorfleet.console.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.sensorfleet.console.support.ConsoleProcess;
import io.sensorfleet.console.support.RestartableConsoles;
import io.sensorfleet.console.support.Rsyslog;
import io.sensorfleet.console.support.Rules;
import io.sensorfleet.console.support.TestSensor;
import io.sensorfleet.console.support.WebhookReceiver;
import io.sensorfleet.protocol.v1.enrollment.ConnectionString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.sensorfleet.console.support.TestSensor.JSON;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two packaged console instances on one database, a real rsyslog and a webhook receiver: one
 * sensor stops reporting, and its disconnect reaches every receiver of its rule exactly once; a
 * burst of alerts reaches a webhook that takes them in batches, each exactly once.
 */
class ForwardingIT {
    static RestartableConsoles cluster;
    static ConsoleProcess a;
    static ConsoleProcess b;
    static Rsyslog rsyslog;
    static WebhookReceiver webhook;
    static String sensorId;
    static String sensorName;
    static String ruleId;
    static String eventId;

    @BeforeAll
    static void oneSensorStopsReporting() throws Exception {
        rsyslog = Rsyslog.start();
        webhook = WebhookReceiver.start();
        cluster = RestartableConsoles.start(2, RestartableConsoles.FAST);
        a = cluster.console(0);
        b = cluster.console(1);

        HttpResponse<String> created = a.call("POST", "/api/v1/connection-strings", Map.of("description", "forwarding"));
        String caPem = JSON.readTree(a.call("GET", "/api/v1/certificates/agent-ca", null).body()).get("certificatePem").asText();
        TestSensor sensor = new TestSensor(a.agentBaseUri(), caPem);
        assertEquals(200, sensor.enroll(ConnectionString.parse(JSON.readTree(created.body()).get("connectionString")
                .asText()).token()).statusCode());
        sensorId = sensor.identity().sensorId();
        sensorName = sensor.identity().sensorName();

        Map<String, Object> cef = new HashMap<>(Rules.syslog(rsyslog.tcpPort, "TCP", "CEF"));
        cef.put("timeZone", "Europe/Paris");
        HttpResponse<String> rule = a.call("POST", "/api/v1/forwarding-rules", Rules.forSensors(List.of(sensorId),
                List.of(Rules.webhook(webhook.url()), cef, Rules.syslog(rsyslog.udpPort, "UDP", "RFC5424"))));
        assertEquals(201, rule.statusCode(), rule.body());
        ruleId = JSON.readTree(rule.body()).get("id").asText();

        // It reports through both instances, then falls silent: both sweep, both run outbox workers.
        assertEquals(200, sensor.heartbeat(Instant.now()).statusCode());
        assertEquals(200, sensor.useConsole(b.agentBaseUri()).heartbeat(Instant.now()).statusCode());
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> {
            JsonNode page = JSON.readTree(b.call("GET", "/api/v1/notifications?type=SENSOR_DISCONNECTED&sensorId="
                    + sensorId, null).body());
            return page.get("total").asInt() > 0;
        });
        eventId = JSON.readTree(a.call("GET", "/api/v1/notifications?type=SENSOR_DISCONNECTED&sensorId=" + sensorId,
                null).body()).get("items").get(0).get("id").asText();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).until(() ->
                !webhook.receivedFor(sensorId).isEmpty() && !rsyslog.tcpMessages().isEmpty() && !rsyslog.udpMessages().isEmpty());
        // Both instances keep sweeping and polling the outbox: time for a duplicate to show up if there were one.
        Thread.sleep(3000);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (rsyslog != null) {
            rsyslog.close();
        }
        if (webhook != null) {
            webhook.close();
        }
    }

    @Test
    void sensorStoppingWithTwoInstancesReachesTheWebhookExactlyOnce() throws Exception {
        List<WebhookReceiver.Received> got = webhook.receivedFor(sensorId);
        assertEquals(1, got.size(), "one disconnect, one message: " + got);
        assertEquals(eventId, got.getFirst().eventIdHeader());
        assertEquals("SENSOR_DISCONNECTED", got.getFirst().json().get("type").asText());
        assertEquals(1, JSON.readTree(a.call("GET", "/api/v1/notifications?type=SENSOR_DISCONNECTED&sensorId="
                + sensorId, null).body()).get("total").asInt(), "one notification recorded");
        JsonNode rule = JSON.readTree(b.call("GET", "/api/v1/forwarding-rules/" + ruleId, null).body());
        for (JsonNode action : rule.get("actions")) {
            assertEquals(1, action.get("delivery").get("delivered").asInt(), action.toString());
            assertEquals(0, action.get("delivery").get("pending").asInt(), action.toString());
        }
    }

    /** Correctness only (the forwarding-5000 benchmark measures the rate): nothing lost, nothing twice. */
    @Test
    void alertBurstReachesABatchingWebhookExactlyOnceWithTwoInstances() throws Exception {
        int alerts = 300;
        try (WebhookReceiver batches = WebhookReceiver.start()) {
            HttpResponse<String> created = a.call("POST", "/api/v1/connection-strings", Map.of("description", "batching"));
            String caPem = JSON.readTree(a.call("GET", "/api/v1/certificates/agent-ca", null).body()).get("certificatePem").asText();
            TestSensor sensor = new TestSensor(a.agentBaseUri(), caPem);
            assertEquals(200, sensor.enroll(ConnectionString.parse(JSON.readTree(created.body()).get("connectionString")
                    .asText()).token()).statusCode());
            String burstSensor = sensor.identity().sensorId();
            Map<String, Object> webhookAction = new HashMap<>(Rules.webhook(batches.url()));
            webhookAction.put("batchMaxEvents", 50);
            Map<String, Object> rule = Rules.with(Rules.forSensors(List.of(burstSensor), List.of(webhookAction)),
                    "reportSystemNotifications", false);
            HttpResponse<String> made = a.call("POST", "/api/v1/forwarding-rules", rule);
            assertEquals(201, made.statusCode(), made.body());
            assertEquals(50, JSON.readTree(made.body()).get("actions").get(0).get("batchMaxEvents").asInt());

            // Half through each instance: both record alerts, both run outbox workers.
            java.util.Set<String> sent = new java.util.HashSet<>();
            for (int i = 0; i < alerts; i++) {
                String alertId = "burst-" + i;
                sensor.useConsole((i % 2 == 0 ? a : b).agentBaseUri());
                HttpResponse<String> r = sensor.alert(new io.sensorfleet.protocol.v1.alerts.AlertReport(alertId,
                        "burst alert " + i, io.sensorfleet.protocol.v1.alerts.AlertReport.Severity.MAJOR, "IDS", "tcp",
                        "192.0.2.1", "198.51.100.1", Instant.now()));
                assertEquals(200, r.statusCode(), r.body());
                sent.add(alertId);
            }
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                    .until(() -> batchedAlertIds(batches).size() >= alerts);
            // Both instances keep polling the outbox: time for a duplicate to show up if there were one.
            Thread.sleep(3000);

            List<String> received = batchedAlertIds(batches);
            assertEquals(alerts, received.size(), "each alert once, none twice");
            assertEquals(sent, new java.util.HashSet<>(received));
            for (WebhookReceiver.Received request : batches.received()) {
                JsonNode body = request.json();
                assertTrue(body.isArray() && !body.isEmpty() && body.size() <= 50, "a JSON array of 1 to 50: " + request.body());
                assertEquals(String.valueOf(body.size()), request.header("X-SensorFleet-Event-Count"));
                assertEquals(null, request.eventIdHeader(), "ids are in the body of a batch");
                for (JsonNode n : body) {
                    assertEquals(burstSensor, n.get("sensorId").asText());
                    assertTrue(n.hasNonNull("eventId"), n.toString());
                }
            }
        }
    }

    /** The alert ids of every notification in every batch received, duplicates kept. */
    private static List<String> batchedAlertIds(WebhookReceiver receiver) {
        List<String> ids = new java.util.ArrayList<>();
        for (WebhookReceiver.Received request : receiver.received()) {
            request.json().forEach(n -> ids.add(n.get("alertId").asText()));
        }
        return ids;
    }

    @Test
    void rsyslogReceivesTheDisconnectAsCefOverTcp() throws Exception {
        List<JsonNode> tcp = rsyslog.tcpMessages();
        assertEquals(1, tcp.size(), tcp.toString());
        JsonNode m = tcp.getFirst();
        assertEquals("SENSOR_DISCONNECTED", m.get("msgid").asText());
        assertEquals("sensorfleet", m.get("app").asText());
        assertEquals("3", m.get("severity").asText(), "syslog err for a Major notification");
        assertEquals("16", m.get("facility").asText(), "local0");
        OffsetDateTime time = OffsetDateTime.parse(m.get("time").asText());
        assertEquals(ZoneId.of("Europe/Paris").getRules().getOffset(time.toInstant()), time.getOffset(),
                "times in the action's time zone");

        String cef = m.get("msg").asText();
        String[] header = cef.split("(?<!\\\\)\\|", 8);
        assertEquals("CEF:0", header[0]);
        assertEquals("SensorFleet", header[1]);
        assertEquals("SENSOR_DISCONNECTED", header[4]);
        assertEquals("Sensor disconnected", header[5]);
        assertEquals("8", header[6], "CEF severity of Major");
        Map<String, String> ext = cefExtension(header[7]);
        assertEquals(eventId, ext.get("externalId"));
        assertEquals(sensorName, ext.get("dvchost"));
        assertEquals(sensorId, ext.get("deviceExternalId"));
    }

    @Test
    void rsyslogReceivesTheDisconnectAsRfc5424OverUdp() throws Exception {
        List<JsonNode> udp = rsyslog.udpMessages();
        assertEquals(1, udp.size(), udp.toString());
        JsonNode m = udp.getFirst();
        assertEquals("SENSOR_DISCONNECTED", m.get("msgid").asText());
        assertEquals("3", m.get("severity").asText());
        Map<String, String> sd = structuredData(m.get("sd").asText());
        assertEquals(eventId, sd.get("eventId"));
        assertEquals(sensorId, sd.get("sensorId"));
        assertEquals(sensorName, sd.get("sensorName"));
        assertEquals("MAJOR", sd.get("severity"));
        assertTrue(m.get("msg").asText().startsWith("Sensor disconnected (sensor " + sensorName + ")"), m.toString());
        assertTrue(OffsetDateTime.parse(m.get("time").asText()).getOffset().getTotalSeconds() == 0, "UTC by default");
    }

    /** CEF extension: {@code key=value} pairs separated by spaces; a value runs to the next {@code key=}. */
    static Map<String, String> cefExtension(String ext) {
        Map<String, String> map = new HashMap<>();
        Matcher m = Pattern.compile("(\\w+)=((?:[^=\\\\]|\\\\.)*?)(?=\\s\\w+=|$)").matcher(ext);
        while (m.find()) {
            map.put(m.group(1), m.group(2).replace("\\=", "=").replace("\\\\", "\\"));
        }
        return map;
    }

    /** RFC 5424 SD-PARAMs of the one SD-ELEMENT. */
    static Map<String, String> structuredData(String sd) {
        assertTrue(sd.startsWith("[sensorfleet@32473 "), sd);
        Map<String, String> map = new HashMap<>();
        Matcher m = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(sd);
        while (m.find()) {
            map.put(m.group(1), m.group(2).replaceAll("\\\\(.)", "$1"));
        }
        return map;
    }
}
