package io.sensorfleet.console.forwarding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonFormatTest {

    @Test
    void webhookBodyHasEventIdAndSensorAndZoneIdsAndNamesWithEveryKeyPresent() throws Exception {
        JsonNode body = new ObjectMapper().readTree(JsonFormat.format(Notifications.disconnected(), ZoneOffset.UTC, true));

        assertEquals(Notifications.EVENT.toString(), body.get("eventId").asText());
        assertEquals("2026-03-01T09:15:30.25Z", body.get("time").asText());
        assertEquals("SENSOR_DISCONNECTED", body.get("type").asText());
        assertEquals("MAJOR", body.get("severity").asText());
        assertEquals(Notifications.SENSOR.toString(), body.get("sensorId").asText());
        assertEquals("substation-7", body.get("sensorName").asText());
        assertEquals(Notifications.ZONE.toString(), body.get("zoneId").asText());
        assertEquals("Turbine hall", body.get("zoneName").asText());
        assertTrue(body.has("engine") && body.get("engine").isNull(), "a stable set of keys for webhook receivers");
    }
}
